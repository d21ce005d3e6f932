import FieldSyncStore
import Foundation

/// One embedded PostgreSQL cluster shared by every test of a test process, started on first use and
/// stopped when the process exits. Each test gets a database of its own, so tests run in parallel
/// without seeing each other's data.
public actor TestCluster {
    public static let shared = TestCluster()

    private var startup: Task<PostgresConfiguration, any Error>?
    private var databases = 0

    /// The cluster's folder: one per test process.
    public nonisolated let dataDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("fieldsync-tests-\(ProcessInfo.processInfo.processIdentifier)").path

    /// A new, empty database on the shared cluster.
    public func makeDatabase() async throws -> PostgresConfiguration {
        let server = try await start()
        databases += 1
        let name = "test_\(databases)"
        let connection = try await PostgresConnection.connect(server)
        try await connection.execute("DROP DATABASE IF EXISTS \(identifier: name)")
        try await connection.execute("CREATE DATABASE \(identifier: name)")
        await connection.close()
        return server.with(database: name)
    }

    /// A new database with every migration applied, and a pool on it.
    public func makeMigratedPool(maximumConnections: Int = 8) async throws -> PostgresPool {
        let pool = PostgresPool(configuration: try await makeDatabase(), maximumConnections: maximumConnections)
        try await Migrator().migrate(pool)
        return pool
    }

    /// The cluster's superuser connection to its `postgres` database.
    public func superuser() async throws -> PostgresConfiguration {
        try await start().with(database: "postgres")
    }

    /// Starts the cluster once; every caller, however many at once, awaits the same start.
    private func start() async throws -> PostgresConfiguration {
        if let startup { return try await startup.value }
        let directory = dataDirectory
        let startup = Task { try await Self.launch(dataDirectory: directory) }
        self.startup = startup
        return try await startup.value
    }

    private static func launch(dataDirectory: String) async throws -> PostgresConfiguration {
        var options = EmbeddedPostgres.Options(dataDirectory: dataDirectory)
        options.database = "postgres"
        // A throwaway cluster: durability buys nothing here. Swift Testing runs every suite at once, and
        // each test's server holds a pool of up to 8 connections and 3 listeners: 300 connections ran out.
        options.settings = [
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "1000",
        ]
        let cluster = EmbeddedPostgres(options: options)
        let server = try await cluster.start()
        if let pid = await cluster.serverProcessID {
            TestClusterCleanup.register(serverProcessID: pid, dataDirectory: dataDirectory)
        }
        return server
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
