import CLibPQ
import Foundation
import Synchronization

/// A private PostgreSQL cluster in a data folder, started from the machine's own PostgreSQL programs.
///
/// The cluster listens on 127.0.0.1 only, on a free port, with password authentication; each password
/// is made once and kept in the data folder (mode 0600). Started as root, it runs the cluster as the
/// user that owns the cluster's folder, or as an unprivileged user (`postgres` by default) when it makes
/// the folder, since PostgreSQL refuses to run as root; the files it adds to a folder owned by another
/// user are given to that user.
///
/// The cluster's superuser `fieldsync` is for administration only: starting, making the roles, backups.
/// Each start makes sure of the application's roles (``DatabaseRole``): the owner, which owns the
/// database and runs the migrations, and the server's role, which the server connects as
/// (``login(_:)``); a database made by an earlier version, owned by the superuser, is handed to the owner.
/// It also installs the guard that keeps the events table's append-only triggers on
/// (`Deploy/postgresql-events-guard.sql`).
///
/// The data folder holds:
/// - `postgres/`: the cluster itself;
/// - `postgres-password`: the password of the cluster's `fieldsync` superuser;
/// - `postgres-owner-password`, `postgres-server-password`: those of `fieldsync_owner` and `fieldsync_server`;
/// - `postgres.log`: what the server printed;
/// - `fieldsync.lock`: held while a process uses the folder, so two never run one cluster.
public actor EmbeddedPostgres {
    public struct Options: Sendable {
        /// The data folder; made when missing.
        public var dataDirectory: String
        /// Where to look for `initdb` and `postgres` instead of the usual places.
        public var binarySearchPaths: [String]?
        /// The user that runs the cluster when this process is root and neither the cluster's folder nor
        /// the data folder belongs to another user.
        public var unprivilegedUser = "postgres"
        /// The database made for the application.
        public var database = "fieldsync"
        /// Extra server settings (`-c name=value`), such as `fsync=off` for throwaway test clusters.
        public var settings: [String: String] = [:]

        public init(dataDirectory: String) {
            self.dataDirectory = dataDirectory
        }
    }

    public let options: Options
    private var server: ChildProcess?
    private var lock: FolderLock?
    /// Where the running cluster is, as its superuser, once ``start()`` has returned.
    public private(set) var configuration: PostgresConfiguration?
    /// The application roles' logins on the cluster's database, once started.
    var logins: [DatabaseRole: PostgresConfiguration] = [:]

    /// The superuser initdb makes.
    static let superuser = "fieldsync"

    public init(options: Options) {
        self.options = options
    }

    private var clusterDirectory: String { options.dataDirectory + "/postgres" }
    private var passwordFile: String { options.dataDirectory + "/" + Self.passwordFileName(of: Self.superuser)! }
    private var logFile: String { options.dataDirectory + "/postgres.log" }

    /// The process id of the running server, for tests that need to stop it the hard way.
    public var serverProcessID: Int32? { server?.processID }

    /// Prepares the cluster if the folder is new, starts it, waits until it accepts connections, and
    /// makes the application database and roles if missing. Restarting on an existing folder keeps its
    /// data. Returns the superuser's connection to the database, for administration; the application
    /// connects with ``login(_:)``.
    public func start() async throws -> PostgresConfiguration {
        if let configuration { return configuration }
        let binaries = try await locateBinaries()
        let files = FileManager.default
        try makeDirectory(options.dataDirectory, mode: 0o711)
        let lockFile = options.dataDirectory + "/fieldsync.lock"
        lock = try FolderLock(path: lockFile)
        handToFolderOwner(lockFile)
        let owner = try clusterOwner()

        if !files.fileExists(atPath: clusterDirectory + "/PG_VERSION") {
            try await initializeCluster(binaries: binaries, owner: owner)
        }
        try await stopOrphanedServer()
        guard let password = try? String(contentsOfFile: passwordFile, encoding: .utf8).trimmingWhitespace() else {
            throw EmbeddedPostgresError("cannot read \(passwordFile): the cluster's password file is missing")
        }

        var lastFailure = ""
        for _ in 0..<3 {
            let port = try FreePort.find()
            let process = try launch(binaries: binaries, owner: owner, port: port)
            let server = PostgresConfiguration(
                host: "127.0.0.1", port: port, user: Self.superuser, password: password, database: "postgres")
            switch await waitUntilReady(process: process, configuration: server) {
            case .ready:
                self.server = process
                let configuration = server.with(database: options.database)
                do {
                    try await createDatabaseIfMissing(on: server)
                    try await prepareRoles(superuser: configuration)
                } catch {
                    await stop()
                    throw error
                }
                self.configuration = configuration
                return configuration
            case .exited:
                lastFailure = logTail()
                // Another program may have taken the port between our check and the server's bind.
                if lastFailure.contains("could not bind") || lastFailure.contains("already in use") { continue }
                throw EmbeddedPostgresError("PostgreSQL did not start: \(lastFailure) (see \(logFile))")
            case .timedOut:
                process.signal(SIGTERM)
                throw EmbeddedPostgresError("PostgreSQL did not accept connections within 60 s (see \(logFile))")
            }
        }
        throw EmbeddedPostgresError("PostgreSQL could not find a free port: \(lastFailure)")
    }

    /// Stops the cluster with a fast shutdown (open transactions are rolled back, the data is
    /// checkpointed) and releases the data folder.
    public func stop() async {
        if let server, server.isRunning {
            server.signal(SIGINT)
            let pid = server.processID
            let stopped = await BlockingCall.run { Self.waitForExit(of: pid, seconds: 60) }
            if !stopped { kill(pid, SIGQUIT) }
            _ = await BlockingCall.run { server.waitUntilExit() }
        }
        server = nil
        configuration = nil
        logins = [:]
        lock = nil
    }

    /// Stops the cluster the way a crash does and starts it again at once, on the same port.
    ///
    /// The stop is PostgreSQL's immediate shutdown (SIGQUIT): every backend is killed on the spot, open
    /// transactions and connections are lost, nothing is checkpointed, and the start that follows
    /// replays the write-ahead log. Clients that hold the cluster's address reconnect to the same port.
    /// For fault-injection tests: what a committed transaction must survive.
    public func crashAndRestart() async throws {
        guard let running = server, let configuration else {
            throw EmbeddedPostgresError("the cluster is not running: start it before crashing it")
        }
        let pid = running.processID
        running.signal(SIGQUIT)
        let stopped = await BlockingCall.run { Self.waitForExit(of: pid, seconds: 60) }
        guard stopped else { throw EmbeddedPostgresError("PostgreSQL (pid \(pid)) did not stop on SIGQUIT") }
        _ = await BlockingCall.run { running.waitUntilExit() }
        self.server = nil
        let binaries = try await locateBinaries()
        let owner = try clusterOwner()
        var lastFailure = ""
        // The old postmaster's socket may linger for a moment after it exits.
        for _ in 0..<50 {
            let process = try launch(binaries: binaries, owner: owner, port: configuration.port)
            switch await waitUntilReady(process: process, configuration: configuration.with(database: "postgres")) {
            case .ready:
                self.server = process
                return
            case .exited:
                lastFailure = logTail()
                try await Task.sleep(for: .milliseconds(100))
            case .timedOut:
                process.signal(SIGTERM)
                throw EmbeddedPostgresError("PostgreSQL did not accept connections within 60 s (see \(logFile))")
            }
        }
        throw EmbeddedPostgresError("PostgreSQL did not start again on port \(configuration.port): \(lastFailure)")
    }

    /// Forgets the server without stopping it and releases the folder, as the death of this process
    /// would. Tests use it to leave an orphaned server behind. A thread of its own reaps the server
    /// once it ends, as `init` reaps an orphan, so that it does not stay a zombie of this process.
    func abandon() {
        if let orphan = server { Thread { _ = orphan.waitUntilExit() }.start() }
        server = nil
        configuration = nil
        logins = [:]
        lock = nil
    }

    // MARK: - Preparing the cluster

    /// The user id and group id to run the cluster as, when this process is root: whoever owns the
    /// cluster's folder, else the data folder (a service that runs as a user of its own made them),
    /// else the unprivileged user.
    private func clusterOwner() throws(EmbeddedPostgresError) -> (uid: uid_t, gid: gid_t)? {
        guard geteuid() == 0 else { return nil }
        if let owner = Self.nonRootOwner(of: clusterDirectory) ?? folderOwner() { return owner }
        guard let entry = getpwnam(options.unprivilegedUser) else {
            throw EmbeddedPostgresError(
                "running as root, but the user '\(options.unprivilegedUser)' that should run PostgreSQL does not "
                    + "exist: create it (useradd --system \(options.unprivilegedUser)) or run as a normal user")
        }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    private func initializeCluster(binaries: PostgresBinaries, owner: (uid: uid_t, gid: gid_t)?) async throws {
        let files = FileManager.default
        // A folder without PG_VERSION is a cluster whose initdb never finished: start it again.
        if files.fileExists(atPath: clusterDirectory) { try files.removeItem(atPath: clusterDirectory) }
        try makeDirectory(clusterDirectory, mode: 0o700)
        if let owner {
            chown(clusterDirectory, owner.uid, owner.gid)
            try await checkReachable(by: owner)
        }
        let password = Base64URLRandom.make(byteCount: 24)
        try writeSecret(password, to: passwordFile, owner: folderOwner())
        let initPasswordFile = options.dataDirectory + "/.initdb-password"
        try writeSecret(password, to: initPasswordFile, owner: owner)
        defer { try? files.removeItem(atPath: initPasswordFile) }

        let status = try await run(
            binaries.initdb,
            [
                "--pgdata=\(clusterDirectory)", "--username=\(Self.superuser)", "--pwfile=\(initPasswordFile)",
                "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-instructions",
            ],
            as: owner)
        guard status == 0 else {
            throw EmbeddedPostgresError("initdb failed (exit \(status)): \(logTail()) (see \(logFile))")
        }
    }

    /// As root, checks that the unprivileged user can reach the cluster folder through its parents.
    private func checkReachable(by owner: (uid: uid_t, gid: gid_t)) async throws {
        let status = try await run("/usr/bin/test", ["-w", clusterDirectory], as: owner, logging: false)
        guard status == 0 else {
            throw EmbeddedPostgresError(
                "the user '\(Self.userName(owner.uid))' cannot reach \(clusterDirectory): give its parent folders "
                    + "search permission (chmod o+x) or choose a data folder elsewhere, such as /var/lib/fieldsync")
        }
    }

    private func makeDirectory(_ path: String, mode: Int) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw EmbeddedPostgresError("\(path) exists and is not a folder") }
            return
        }
        do {
            try files.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw EmbeddedPostgresError("cannot make the folder \(path): \(error.localizedDescription)")
        }
    }

    /// The owner of the data folder when this process is root and another user owns it: the files this
    /// process adds there are given to that user, who runs the service.
    func folderOwner() -> (uid: uid_t, gid: gid_t)? {
        guard geteuid() == 0 else { return nil }
        return Self.nonRootOwner(of: options.dataDirectory)
    }

    private static func userName(_ uid: uid_t) -> String {
        getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(uid)"
    }

    private static func nonRootOwner(of path: String) -> (uid: uid_t, gid: gid_t)? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return nil }
        return (info.st_uid, info.st_gid)
    }

    private func handToFolderOwner(_ path: String) {
        if let owner = folderOwner() { chown(path, owner.uid, owner.gid) }
    }

    func writeSecret(_ secret: String, to path: String, owner: (uid: uid_t, gid: gid_t)?) throws {
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw EmbeddedPostgresError("cannot write \(path)") }
        chmod(path, 0o600)
        if let owner { chown(path, owner.uid, owner.gid) }
    }

    // MARK: - Running the server

    /// A server left running by a process that died without stopping it holds the folder: stop it.
    private func stopOrphanedServer() async throws {
        let pidFile = clusterDirectory + "/postmaster.pid"
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let firstLine = text.split(separator: "\n").first, let pid = Int32(firstLine), pid > 0,
            kill(pid, 0) == 0 || errno == EPERM
        else { return }
        // We hold the folder lock, so no live fieldsync process owns this server.
        kill(pid, SIGINT)
        let stopped = await BlockingCall.run { Self.waitForExit(of: pid, seconds: 60) }
        if !stopped {
            throw EmbeddedPostgresError("an earlier PostgreSQL server (pid \(pid)) still runs on \(clusterDirectory)")
        }
    }

    private func launch(binaries: PostgresBinaries, owner: (uid: uid_t, gid: gid_t)?, port: Int) throws -> ChildProcess
    {
        var arguments = [
            "-D", clusterDirectory, "-p", String(port),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
        ]
        for (name, value) in options.settings.sorted(by: { $0.key < $1.key }) {
            arguments += ["-c", "\(name)=\(value)"]
        }
        return try start(binaries.postgres, arguments, as: owner, logging: true)
    }

    private enum Readiness { case ready, exited, timedOut }

    private func waitUntilReady(process: ChildProcess, configuration: PostgresConfiguration) async -> Readiness {
        let ping = "host=127.0.0.1 port=\(configuration.port) dbname=postgres user=\(Self.superuser) connect_timeout=2"
        for _ in 0..<600 {
            if !process.isRunning { return .exited }
            let answer = await BlockingCall.run { PQping(ping) }
            if answer == PQPING_OK { return .ready }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return .timedOut
    }

    private func createDatabaseIfMissing(on server: PostgresConfiguration) async throws {
        let connection = try await PostgresConnection.connect(server)
        do {
            let existing = try await connection.query(
                "SELECT 1 FROM pg_database WHERE datname = \(options.database)")
            if existing.isEmpty {
                try await connection.execute("CREATE DATABASE \(identifier: options.database)")
            }
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    // MARK: - Child processes

    private func start(
        _ program: String, _ arguments: [String], as owner: (uid: uid_t, gid: gid_t)?, logging: Bool
    ) throws -> ChildProcess {
        // PostgreSQL refuses to run as root: drop to the unprivileged user for this program only.
        let dropToOwner = owner.map {
            ["/usr/bin/setpriv", "--reuid=\($0.uid)", "--regid=\($0.gid)", "--init-groups", "--"]
        }
        let command = (dropToOwner ?? []) + [program]
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "PGDATA")
        let output: ChildProcess.Stream = logging && prepareLog() ? .file(logFile, append: true) : .null
        do {
            return try ChildProcess.start(
                command[0], Array(command.dropFirst()) + arguments, environment: environment, output: output)
        } catch {
            throw EmbeddedPostgresError("cannot run \(program): \(error)")
        }
    }

    private func run(
        _ program: String, _ arguments: [String], as owner: (uid: uid_t, gid: gid_t)?, logging: Bool = true
    ) async throws -> Int32 {
        let process = try start(program, arguments, as: owner, logging: logging)
        return await BlockingCall.run { process.waitUntilExit().status }
    }

    /// The server programs, looked for on a thread of their own: looking runs `pg_config` and waits for it.
    private func locateBinaries() async throws(EmbeddedPostgresError) -> PostgresBinaries {
        let searchPaths = options.binarySearchPaths
        return try await BlockingCall.run {
            Result { () throws(EmbeddedPostgresError) in try PostgresBinaries.locate(searchPaths: searchPaths) }
        }.get()
    }

    /// Makes the cluster's log file if missing (readable by the cluster's owner); false if it cannot be made.
    private func prepareLog() -> Bool {
        guard !FileManager.default.fileExists(atPath: logFile) else { return true }
        guard FileManager.default.createFile(atPath: logFile, contents: nil, attributes: [.posixPermissions: 0o640])
        else { return false }
        handToFolderOwner(logFile)
        return true
    }

    /// The last meaningful lines of the server log, on one line.
    private func logTail() -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "no log" }
        let lines = text.split(separator: "\n").suffix(4).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.joined(separator: " | ")
    }

    private static func waitForExit(of pid: Int32, seconds: Int) -> Bool {
        for _ in 0..<(seconds * 20) {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            // Our own child stays a zombie until reaped; treat a zombie as gone.
            if let state = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                state.split(separator: " ").dropFirst(2).first == "Z"
            {
                return true
            }
            usleep(50_000)
        }
        return false
    }
}
