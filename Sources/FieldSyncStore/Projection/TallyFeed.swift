import Synchronization

/// Hands every ``TallyUpdate`` of the projector to whoever listens (the live stream's clients).
///
/// A listener that falls behind loses intermediate updates but always gets the newest one, which is
/// enough: a live client re-reads the rows changed since the last position it saw.
public final class TallyFeed: Sendable {
    private struct State {
        var next = 0
        var listeners: [Int: AsyncStream<TallyUpdate>.Continuation] = [:]
        var latest: TallyUpdate?
    }

    private let state = Mutex(State())

    public init() {}

    /// The most recent update, if any.
    public var latest: TallyUpdate? { state.withLock { $0.latest } }

    /// A stream of updates from now on. It ends when the listener stops iterating.
    public func updates() -> AsyncStream<TallyUpdate> {
        let (stream, continuation) = AsyncStream<TallyUpdate>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let id = state.withLock { state in
            state.next += 1
            state.listeners[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ update: TallyUpdate) {
        let listeners = state.withLock { state in
            state.latest = update
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.yield(update) }
    }

    /// Ends every listener's stream.
    func finish() {
        let listeners = state.withLock { state in
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.finish() }
    }
}
