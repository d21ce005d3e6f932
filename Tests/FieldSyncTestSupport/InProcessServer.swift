import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import Logging
import ServiceLifecycle

/// A FieldSync server running in the test process, on a free loopback port and a fresh database of the
/// shared test cluster, with the services `fieldsync serve` runs (and its projector when asked for).
/// Requests reach it over real HTTP at ``url``.
public struct InProcessServer: Sendable {
    public let server: FieldSyncServer
    public let url: String

    /// Runs `body` with a started server whose log holds `reference` (signed by the server key, as
    /// `serve --demo` loads it), then shuts the server down gracefully, whether `body` succeeded or not.
    /// The server logs to `logger` when given (a test reading what was logged), else at `logLevel`. It signs
    /// with `key` (a new one unless given) and runs on `pool` when given (a database a test prepared, which it
    /// closes at the end) instead of a fresh database.
    public static func with<T: Sendable>(
        _ configuration: ServerConfiguration = ServerConfiguration(), reference: [EventDraft] = [],
        projector: Projector.Options? = nil, logLevel: Logger.Level = .warning, label: String = "fieldsync.test-server",
        logger: Logger? = nil, key: SigningKey = SigningKey.generate(), pool given: PostgresPool? = nil,
        _ body: (InProcessServer) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.port = 0
        let pool: PostgresPool
        if let given { pool = given } else { pool = try await TestCluster.shared.makeMigratedPool() }
        let logger =
            logger
            ?? {
                var logger = Logger(label: label)
                logger.logLevel = logLevel
                return logger
            }()
        let server: FieldSyncServer
        do {
            server = try await FieldSyncServer.prepare(
                configuration: configuration, pool: pool, events: EventStore(pool: pool), key: key, logger: logger)
            if !reference.isEmpty {
                // In slices, as a large reference set is loaded.
                for start in stride(from: 0, to: reference.count, by: 1_000) {
                    try await server.author.append(Array(reference[start..<min(start + 1_000, reference.count)]))
                }
                try await server.reference.refresh()
            }
        } catch {
            await pool.close()
            throw error
        }
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = server.makeApplication { port in portsContinuation.yield(port) }
        let extra: [any Service] =
            projector.map { [Projector(events: server.events, options: $0, logger: logger)] } ?? []
        let group = ServiceGroup(
            configuration: .init(services: server.services(application: application, extra: extra), logger: logger))
        let running = Task { try await group.run() }
        do {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestSetupError("the server did not start listening") }
            let result = try await body(InProcessServer(server: server, url: "http://127.0.0.1:\(port)"))
            await group.triggerGracefulShutdown()
            try await running.value
            await pool.close()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            await pool.close()
            throw error
        }
    }
}
