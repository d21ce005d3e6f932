import Logging
import Synchronization

/// When a reader of one PostgreSQL channel should look at what changed, as long as it iterates: it
/// listens on a connection of its own, and when that connection fails it is closed and another opened
/// after a pause that grows with each failure in a row (``RetryPause``). The reader never sees a failure.
///
/// Made by ``PostgresConfiguration/withNotifications(on:poll:coalescing:logger:_:)``, which closes the
/// connection when its body returns. Iteration ends when the task is cancelled; libpq's wait cannot be
/// interrupted, so it waits in short slices and a shutdown never waits out a long interval.
public struct PostgresNotificationSequence: AsyncSequence, Sendable {
    /// Why the reader is woken.
    public enum Wake: Sendable, Equatable {
        /// It listens, for the first time or again after a failure: whatever was notified before was
        /// missed, so read everything that may have changed.
        case listening
        /// Notifications arrived (all that came during the `coalescing` interval, in order).
        case notified([PostgresNotification])
        /// The `poll` interval passed without a notification.
        case quiet
    }

    let configuration: PostgresConfiguration
    let channel: String
    let poll: Duration?
    let coalescing: Duration
    let logger: Logger
    let connection: ListeningConnection

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(sequence: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let sequence: PostgresNotificationSequence
        private var failures = 0
        private var lastWake = ContinuousClock.now
        private let clock = ContinuousClock()

        init(sequence: PostgresNotificationSequence) {
            self.sequence = sequence
        }

        /// The longest a single wait on libpq lasts.
        static let slice = Duration.milliseconds(200)

        public mutating func next() async -> Wake? {
            while !Task.isCancelled {
                do {
                    guard let listener = sequence.connection.current else {
                        try await sequence.connection.open(sequence.configuration, channel: sequence.channel)
                        failures = 0
                        return wake(.listening)
                    }
                    if let wake = try await self.wait(on: listener) { return wake }
                } catch {
                    guard !Task.isCancelled else { break }
                    failures += 1
                    sequence.logger.warning(
                        "listening on \(sequence.channel) failed; listening again after a pause",
                        metadata: ["error": "\(error)", "failures": "\(failures)"])
                    await sequence.connection.close()
                    guard (try? await Task.sleep(for: RetryPause.after(failures: failures))) != nil else { break }
                }
            }
            return nil
        }

        /// Waits one slice: notifications (coalesced), ``Wake/quiet`` once the poll interval has passed,
        /// or nil when neither came yet.
        private mutating func wait(on listener: PostgresConnection) async throws -> Wake? {
            let pollDeadline = sequence.poll.map { lastWake + $0 }
            let left = Swift.min(pollDeadline.map { $0 - clock.now } ?? Self.slice, Self.slice)
            guard left > .zero else { return wake(.quiet) }
            var received = try await listener.waitForNotifications(timeoutMilliseconds: Self.milliseconds(left))
            guard !received.isEmpty else { return nil }
            if clock.now < lastWake + sequence.coalescing {
                try await Task.sleep(until: lastWake + sequence.coalescing, clock: clock)
                // What was notified meanwhile comes with the rest.
                received += try await listener.waitForNotifications(timeoutMilliseconds: 0)
            }
            return wake(.notified(received))
        }

        private mutating func wake(_ wake: Wake) -> Wake {
            lastWake = clock.now
            return wake
        }

        static func milliseconds(_ duration: Duration) -> Int32 {
            let (seconds, attoseconds) = duration.components
            return Int32(Swift.max(1, seconds * 1_000 + attoseconds / 1_000_000_000_000_000))
        }
    }
}

/// The connection a ``PostgresNotificationSequence`` listens on, shared with the scope that made it so
/// that the scope closes it at its end.
final class ListeningConnection: Sendable {
    private let connection = Mutex<PostgresConnection?>(nil)

    var current: PostgresConnection? { connection.withLock { $0 } }

    /// Opens a connection that listens on `channel`.
    func open(_ configuration: PostgresConfiguration, channel: String) async throws(PostgresError) {
        let opened = try await PostgresConnection.connect(configuration)
        do {
            try await opened.listen(channel)
        } catch {
            await opened.close()
            throw error
        }
        connection.withLock { $0 = opened }
    }

    /// Closes the connection, if one is open.
    func close() async {
        let open = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        await open?.close()
    }
}
