import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation

/// The real server: `fieldsync serve --demo` as a child process, on a fresh database of the shared test
/// cluster (so that killing the server leaves the database running, as a server restart would), on a
/// fixed port it keeps across restarts.
final class ServerUnderTest: @unchecked Sendable {
    /// A folder for everything of this test: the server's data folder, reporters' homes, logs.
    let folder: String
    let dataDirectory: String
    let databaseURL: String
    let port: Int
    /// More `fieldsync serve` options, such as limits.
    let options: [String]
    private(set) var running: Program.Running?

    var url: String { "http://127.0.0.1:\(port)" }

    private init(folder: String, databaseURL: String, port: Int, options: [String]) {
        self.folder = folder
        self.dataDirectory = folder + "/server"
        self.databaseURL = databaseURL
        self.port = port
        self.options = options
    }

    /// A server with the Karachi demo reference data, listening: on a fresh database of the shared test
    /// cluster, or on the database at `databaseURL`.
    static func start(databaseURL: String? = nil, options: [String] = []) async throws -> ServerUnderTest {
        let folder = try makeTemporaryDirectory("fieldsync-e2e")
        let url: String
        if let databaseURL { url = databaseURL } else { url = try await E2EDatabases.shared.makeURL() }
        let server = ServerUnderTest(folder: folder, databaseURL: url, port: try FreeTCPPort.find(), options: options)
        try await server.start()
        return server
    }

    /// Starts (or restarts) the server process and waits until it answers.
    func start() async throws {
        let process = try Program.start(
            ["serve", "--port", "\(port)", "--data-dir", dataDirectory, "--database-url", databaseURL, "--demo"]
                + options,
            logFolder: folder)
        running = process
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(300)
        while clock.now < deadline {
            if let answer = try? await HTTP.get(url + "/healthz"), answer.status == 200 { return }
            guard process.isRunning else { throw E2EError("fieldsync serve exited: \(process.outputSoFar)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EError("fieldsync serve did not answer in time: \(process.outputSoFar)")
    }

    /// Stops the server with `signal` (SIGKILL: as if the machine lost power) and waits for it to end.
    func stop(signal: Int32 = SIGTERM) async throws {
        guard let running else { return }
        running.signal(signal)
        _ = try await running.wait(timeout: .seconds(120))
        self.running = nil
    }

    /// A one-time enrollment code, from `fieldsync admin enroll`. A reporter's is assigned to `seats`
    /// (every National Assembly seat of the demo unless given) or to `stations`.
    func code(
        role: String = "reporter", name: String, seats: [String]? = nil, stations: [String] = []
    ) async throws -> String {
        var assignment = [String]()
        if role == "reporter" {
            if !stations.isEmpty { assignment += ["--stations", stations.joined(separator: ",")] }
            let seats = seats ?? (stations.isEmpty ? Self.demoSeats : [])
            if !seats.isEmpty { assignment += ["--seat", seats.joined(separator: ",")] }
        }
        let outcome = try await Program.run(
            [
                "admin", "enroll", "--role", role, "--name", name, "--data-dir", dataDirectory, "--database-url",
                databaseURL, "--json",
            ] + assignment,
            logFolder: folder)
        guard outcome.status == 0, case .string(let code)? = (try? JSONParser.parse(outcome.output))?["code"] else {
            throw E2EError("admin enroll failed: \(outcome)")
        }
        return code
    }

    /// An auditor's credentials (a read-only device enrolled without a key).
    func auditorToken() async throws -> String {
        let code = try await code(role: "auditor", name: "Auditor")
        let answer = try await HTTP.post(url + "/v1/enroll", json: ["code": .string(code)])
        guard answer.status == 201, case .string(let token)? = (try answer.json())["token"] else {
            throw E2EError("auditor enrollment failed: \(answer.status) \(answer.text)")
        }
        return token
    }

    /// The whole stored log, as an auditor exports it.
    func export() async throws -> [StoredEvent] {
        let token = try await auditorToken()
        let answer = try await HTTP.get(url + "/v1/events", token: token)
        guard answer.status == 200 else { throw E2EError("export failed: \(answer.status) \(answer.text)") }
        return try answer.body.split(separator: 0x0a).map { try StoredEvent(line: $0) }
    }

    /// The server's head for a device, as that device sees it.
    func head(of device: DeviceID, token: String) async throws -> Int64 {
        let answer = try await HTTP.get(url + "/v1/devices/\(device.rawValue)/head", token: token)
        guard answer.status == 200, case .integer(let seq)? = (try answer.json())["seq"] else {
            throw E2EError("head failed: \(answer.status) \(answer.text)")
        }
        return seq
    }

    /// Another server that starts from this one's log and key and then goes its own way: a copy of the
    /// database (this server stopped while it is made, then started again) and of the data folder, on a new
    /// port. The two logs share a prefix and diverge with the next event appended to either.
    func fork() async throws -> ServerUnderTest {
        try await stop()
        let database = String(databaseURL.split(separator: "/").last!)
        let copy = database + "_fork"
        let connection = try await PostgresConnection.connect(try await TestCluster.shared.superuser())
        do {
            _ = try await connection.execute("DROP DATABASE IF EXISTS \(identifier: copy)")
            _ = try await connection.execute("CREATE DATABASE \(identifier: copy) TEMPLATE \(identifier: database)")
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
        try await start()
        let folder = try makeTemporaryDirectory("fieldsync-e2e-fork")
        let fork = ServerUnderTest(
            folder: folder, databaseURL: String(databaseURL.dropLast(database.count)) + copy,
            port: try FreeTCPPort.find(), options: options)
        try FileManager.default.copyItem(atPath: dataDirectory, toPath: fork.dataDirectory)
        try await fork.start()
        return fork
    }

    deinit {
        if let running, running.isRunning { running.signal(SIGKILL) }
    }
}

/// Databases on the shared test cluster, reachable by URL with a password (as `--database-url` needs).
actor E2EDatabases {
    static let shared = E2EDatabases()
    private var password: String?
    static let role = "fieldsync_e2e"

    func makeURL() async throws -> String {
        let database = try await TestCluster.shared.makeDatabase()
        let password = try await rolePassword()
        return "postgresql://\(Self.role):\(password)@\(database.host):\(database.port)/\(database.database)"
    }

    private func rolePassword() async throws -> String {
        if let password { return password }
        let password = (0..<24).map { _ in String("abcdefghijkmnpqrstuvwxyz23456789".randomElement()!) }.joined()
        let connection = try await PostgresConnection.connect(try await TestCluster.shared.superuser())
        _ = try await connection.execute(
            SQL(
                unsafeSQL: """
                    DO $$ BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(Self.role)') THEN
                    CREATE ROLE \(Self.role) LOGIN SUPERUSER; END IF; END $$
                    """))
        _ = try await connection.execute(SQL(unsafeSQL: "ALTER ROLE \(Self.role) PASSWORD '\(password)'"))
        await connection.close()
        self.password = password
        return password
    }
}

/// Real HTTP requests over loopback, for checking what the server holds.
extension ServerUnderTest {
    /// Every National Assembly seat of the Karachi demo.
    static let demoSeats = KarachiDemo().constituencies.filter { $0.assembly == .national }.map(\.code.rawValue)
}
