import FieldSyncStore
import Synchronization

/// Hands every value published to each of its listeners: the projector's ``TallyUpdate``s to whoever
/// watches them, the live feed's signals to every open live stream.
///
/// A listener that falls behind keeps only the newest `buffering` values: listeners are told what is
/// new, and read the rest from what the publisher keeps (the live feed's history, the tally tables).
public final class Broadcast<Value: Sendable>: Sendable {
    /// One listener: its values, until it or the broadcast ends.
    public struct Subscription: Sendable {
        public let updates: AsyncStream<Value>
        fileprivate let continuation: AsyncStream<Value>.Continuation

        /// Ends this listener's values; the broadcast forgets it.
        public func end() { continuation.finish() }
    }

    private struct State {
        var next = 0
        var listeners: [Int: AsyncStream<Value>.Continuation] = [:]
        var finished = false
    }

    private let state = Mutex(State())
    private let buffering: Int

    public init(buffering: Int = 16) {
        self.buffering = buffering
    }

    /// A new listener of the values published from now on. After ``finish()``, its values end at once.
    public func subscribe() -> Subscription {
        let (stream, continuation) = AsyncStream<Value>.makeStream(bufferingPolicy: .bufferingNewest(buffering))
        let id = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            state.next += 1
            state.listeners[state.next] = continuation
            return state.next
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
            }
        } else {
            continuation.finish()
        }
        return Subscription(updates: stream, continuation: continuation)
    }

    /// The values published from now on, until the listener stops iterating or the broadcast ends.
    public func updates() -> AsyncStream<Value> { subscribe().updates }

    /// How many listeners there are.
    public var listeners: Int { state.withLock { $0.listeners.count } }

    public func publish(_ value: Value) {
        let listeners = state.withLock { Array($0.listeners.values) }
        for listener in listeners { listener.yield(value) }
    }

    /// Ends every listener's values, and those of any listener to come.
    public func finish() {
        let listeners = state.withLock { state in
            state.finished = true
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.finish() }
    }
}
