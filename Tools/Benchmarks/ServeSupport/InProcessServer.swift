import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import Logging
import ServiceLifecycle

/// A FieldSync server running in the benchmark's own process: the services `fieldsync serve` runs (without
/// the projector) on an embedded PostgreSQL cluster with its default settings, listening on a free loopback
/// port, with the Karachi demo reference data loaded. Requests reach it over real HTTP at ``url``.
///
/// For benchmarks that time the server's work from the client's side and also reach into it (issuing
/// codes, storing a bundle, reading the database); those that measure the `fieldsync serve` process
/// itself start it with ``FieldSyncProgram/serve(dataDirectory:arguments:logFile:)``.
public struct InProcessServer: Sendable {
    public let server: FieldSyncServer
    public let database: FieldSyncDatabase
    /// `http://127.0.0.1:PORT`.
    public let url: String
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// Starts the cluster in `dataDirectory` (made if missing), migrates it, loads the demo reference data
    /// and starts serving; returns once the server listens. The server logs warnings and worse as `label`.
    public static func start(
        dataDirectory: String, label: String, maximumConnections: Int = 16,
        configuration: ServerConfiguration = ServerConfiguration()
    ) async throws -> InProcessServer {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        var configuration = configuration
        configuration.port = 0
        let database = try await FieldSyncDatabase.open(
            .embedded(dataDirectory: dataDirectory), maximumConnections: maximumConnections, logger: logger)
        let server: FieldSyncServer
        do {
            server = try await FieldSyncServer.prepare(
                configuration: configuration, pool: database.pool, events: database.events, key: SigningKey.generate(),
                logger: logger)
            _ = try await server.loadDemoReferenceData()
        } catch {
            await database.close()
            throw error
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = server.makeApplication { port in portContinuation.yield(port) }
        let group = ServiceGroup(
            configuration: .init(services: server.services(application: application), logger: logger))
        let running = Task { try await group.run() }
        guard let port = await ports.first(where: { _ in true }) else {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            await database.close()
            throw BenchmarkFailure("the server in this process did not start listening")
        }
        return InProcessServer(
            server: server, database: database, url: "http://127.0.0.1:\(port)", group: group, running: running)
    }

    /// Shuts the server down gracefully, then closes the database and stops its cluster.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        let ended = await running.result
        await database.close()
        try ended.get()
    }
}
