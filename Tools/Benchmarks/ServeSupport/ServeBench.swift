import AsyncHTTPClient
import BenchmarkSupport
import FieldSyncModel
import Foundation
import NIOCore
import Synchronization

/// What a benchmark of the real `fieldsync serve` works in: a temporary folder with the server's data
/// folder in it, the program, and an HTTP client to reach it. ``run(_:)`` runs the measurements and cleans
/// up after them: on a failure it stops every server still running, says what failed and exits with 1.
public final class ServeBench: Sendable {
    /// The benchmark's name, as its program is called (`memory-benchmark`).
    public let name: String
    public let program: FieldSyncProgram
    /// The temporary folder: the data folder, the servers' logs and what the program prints.
    public let folder: String
    public let client: HTTPClient
    private let servers = Mutex<[ServeProcess]>([])

    /// The data folder the servers share.
    public var dataDirectory: String { folder + "/data" }

    /// A temporary folder for `name`, and a client holding up to `connections` connections to a server.
    public init(name: String, connections: Int) throws {
        self.name = name
        program = try FieldSyncProgram()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-\(name)-\(getpid())").path
        // Readable by the unprivileged user that runs the cluster when this runs as root.
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Starts `fieldsync serve` on the data folder with `arguments` more; what it prints goes to `logName`.
    public func startServer(_ arguments: [String], logName: String) throws -> ServeProcess {
        let server = try program.serve(
            dataDirectory: dataDirectory, arguments: arguments, logFile: folder + "/" + logName)
        servers.withLock { $0.append(server) }
        return server
    }

    /// An admin's enrollment code, made by `fieldsync admin enroll` beside the running server.
    public func adminEnrollmentCode(name: String) async throws -> String {
        try await program.enrollmentCode(
            role: "admin", name: name, dataDirectory: dataDirectory, outputFile: folder + "/admin-enroll.txt")
    }

    /// Runs `measure`, then removes the folder; on a failure, stops the servers still running first, says
    /// what failed and exits with 1.
    public func run(_ measure: () async throws -> Void) async {
        do {
            try await measure()
        } catch {
            for server in servers.withLock({ $0 }) where server.isRunning { try? await server.stop() }
            try? await client.shutdown().get()
            try? FileManager.default.removeItem(atPath: folder)
            say("\(name) failed: \(error)")
            exit(1)
        }
        try? await client.shutdown().get()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
