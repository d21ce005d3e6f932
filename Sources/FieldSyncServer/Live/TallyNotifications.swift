import FieldSyncStore
import Logging
import ServiceLifecycle
import Synchronization

/// Listens for the projector's announcements (``TallyStore/notificationChannel``), whether the projector
/// runs in this process or another, and passes them to every live stream; adds a heartbeat for all of
/// them every ``heartbeatSeconds``. One database connection serves every live client.
public final class TallyNotifications: Service, Sendable {
    private struct State {
        var next = 0
        var listeners: [Int: AsyncStream<LiveSignal>.Continuation] = [:]
    }

    private let pool: PostgresPool
    private let logger: Logger
    private let state = Mutex(State())
    let heartbeatSeconds: Int

    public init(pool: PostgresPool, heartbeatSeconds: Int = 15, logger: Logger) {
        self.pool = pool
        self.heartbeatSeconds = heartbeatSeconds
        self.logger = logger
    }

    /// A stream of signals from now on, ending when the listener stops, when `end` is called, or when
    /// the service stops.
    func signals() -> (stream: AsyncStream<LiveSignal>, end: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream<LiveSignal>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id = state.withLock { state in
            state.next += 1
            state.listeners[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return (stream, { continuation.finish() })
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var sinceHeartbeat = ContinuousClock.now
            var failures = 0
            while !Task.isCancelled {
                do {
                    let listener = try await PostgresConnection.connect(
                        self.pool.configuration.with(applicationName: "fieldsync live"))
                    defer { Task { await listener.close() } }
                    try await listener.listen(TallyStore.notificationChannel)
                    failures = 0
                    while !Task.isCancelled {
                        let received = try await listener.waitForNotifications(timeoutMilliseconds: 1000)
                        if let position = received.compactMap({ Int64($0.payload) }).max() {
                            self.broadcast(.tallies(position: position))
                        }
                        if ContinuousClock.now - sinceHeartbeat >= .seconds(self.heartbeatSeconds) {
                            sinceHeartbeat = .now
                            self.broadcast(.heartbeat)
                        }
                    }
                } catch {
                    failures += 1
                    self.logger.warning("live notifications interrupted; reconnecting", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(min(10_000, 250 << min(failures, 5))))
                }
            }
        }
        finish()
    }

    private func broadcast(_ signal: LiveSignal) {
        let listeners = state.withLock { Array($0.listeners.values) }
        for listener in listeners { listener.yield(signal) }
    }

    private func finish() {
        let listeners = state.withLock { state in
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.finish() }
    }
}
