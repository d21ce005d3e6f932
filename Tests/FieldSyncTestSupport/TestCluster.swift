import FieldSyncStore
import Foundation

/// One embedded PostgreSQL cluster shared by every test of a test process, started on first use and
/// stopped when the process exits. Each test gets a database of its own, so tests run in parallel
/// without seeing each other's data.
///
/// The cluster has the roles of every embedded cluster (``DatabaseRole``): a test's database belongs to
/// the owner role, which migrates it, and its pool connects as the server's role unless the test asks
/// for more, so that every test runs with the privileges `fieldsync serve` has and a missing grant fails
/// the tests that need it.
public actor TestCluster {
    public static let shared = TestCluster()

    /// Whom a test connects as.
    public enum Login: Sendable {
        /// `fieldsync_server`, as the server connects: the default.
        case server
        /// `fieldsync_owner`, which owns the tables: for tests that change the schema or rows the server
        /// never changes.
        case owner
        /// The cluster's superuser: for tests that switch the append-only triggers off or make roles.
        case superuser
    }

    private struct Logins: Sendable {
        var superuser: PostgresConfiguration
        var owner: PostgresConfiguration
        var server: PostgresConfiguration

        subscript(login: Login) -> PostgresConfiguration {
            switch login {
            case .server: server
            case .owner: owner
            case .superuser: superuser
            }
        }
    }

    private var startup: Task<Logins, any Error>?
    private var databases = 0

    /// The cluster's folder: one per test process.
    public nonisolated let dataDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("fieldsync-tests-\(ProcessInfo.processInfo.processIdentifier)").path

    /// A new, empty database on the shared cluster, owned by the owner role; the superuser's connection to it.
    public func makeDatabase() async throws -> PostgresConfiguration {
        let superuser = try await start().superuser
        databases += 1
        let name = "test_\(databases)"
        let connection = try await PostgresConnection.connect(superuser)
        try await connection.execute("DROP DATABASE IF EXISTS \(identifier: name)")
        try await connection.execute("CREATE DATABASE \(identifier: name) OWNER \(identifier: DatabaseRole.owner.name)")
        await connection.close()
        return superuser.with(database: name)
    }

    /// A new database with every migration applied by the owner role, and a pool on it as `login`.
    public func makeMigratedPool(maximumConnections: Int = 8, as login: Login = .server) async throws -> PostgresPool {
        let database = try await makeDatabase().database
        let logins = try await start()
        let owner = PostgresPool(configuration: logins.owner.with(database: database), maximumConnections: 1)
        do {
            try await Migrator().migrate(owner)
            await owner.close()
        } catch {
            await owner.close()
            throw error
        }
        return PostgresPool(
            configuration: logins[login].with(database: database), maximumConnections: maximumConnections)
    }

    /// A new database that is a copy of `pool`'s (which must have no open connection: close its pool first),
    /// and a pool on the copy as `login`: two servers that share a history up to now.
    public func copyDatabase(of pool: PostgresPool, as login: Login = .server) async throws -> PostgresPool {
        let source = await pool.configuration.database
        let superuser = try await start().superuser
        databases += 1
        let name = "test_\(databases)"
        let connection = try await PostgresConnection.connect(superuser)
        do {
            try await connection.execute(
                "CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: source) OWNER \(identifier: DatabaseRole.owner.name)"
            )
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
        return PostgresPool(configuration: try await start()[login].with(database: name), maximumConnections: 8)
    }

    /// The cluster's superuser connection to its `postgres` database.
    public func superuser() async throws -> PostgresConfiguration {
        try await start().superuser.with(database: "postgres")
    }

    /// The connection as `login` to `database`.
    public func configuration(as login: Login, database: String) async throws -> PostgresConfiguration {
        try await start()[login].with(database: database)
    }

    /// Runs `body` on a connection as `login` to the database of `pool`, then closes it: for a test's
    /// changes behind the server's back, which the server's role may not make.
    nonisolated(nonsending) public func withConnection<Result: Sendable>(
        as login: Login, on pool: PostgresPool, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let configuration = try await configuration(as: login, database: pool.configuration.database)
        let connection = try await PostgresConnection.connect(configuration)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Starts the cluster once; every caller, however many at once, awaits the same start.
    private func start() async throws -> Logins {
        if let startup { return try await startup.value }
        let directory = dataDirectory
        let startup = Task { try await Self.launch(dataDirectory: directory) }
        self.startup = startup
        return try await startup.value
    }

    private static func launch(dataDirectory: String) async throws -> Logins {
        var options = EmbeddedPostgres.Options(dataDirectory: dataDirectory)
        options.database = "postgres"
        // A throwaway cluster: durability buys nothing here. Swift Testing runs every suite at once, and
        // each test's server holds a pool of up to 8 connections and 3 listeners: 300 connections ran out.
        options.settings = [
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "1000",
        ]
        let cluster = EmbeddedPostgres(options: options)
        let superuser = try await cluster.start()
        if let pid = await cluster.serverProcessID {
            TestClusterCleanup.register(serverProcessID: pid, dataDirectory: dataDirectory)
        }
        guard let owner = await cluster.login(.owner), let server = await cluster.login(.server) else {
            throw TestSetupError("the test cluster started without its application roles")
        }
        return Logins(superuser: superuser, owner: owner, server: server)
    }
}

/// Stops the shared cluster and removes its folder when the test process exits.
enum TestClusterCleanup {
    nonisolated(unsafe) private static var serverProcessID: Int32 = 0
    nonisolated(unsafe) private static var dataDirectory = ""

    static func register(serverProcessID: Int32, dataDirectory: String) {
        Self.serverProcessID = serverProcessID
        Self.dataDirectory = dataDirectory
        atexit {
            let pid = TestClusterCleanup.serverProcessID
            guard pid > 0 else { return }
            kill(pid, SIGINT)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            try? FileManager.default.removeItem(atPath: TestClusterCleanup.dataDirectory)
        }
    }
}
