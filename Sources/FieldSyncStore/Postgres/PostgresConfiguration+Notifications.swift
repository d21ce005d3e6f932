import Logging

extension PostgresConfiguration {
    /// Runs `body` with the wakes of a reader of `channel` (``PostgresNotificationSequence``), and closes
    /// their connection when it returns.
    ///
    /// - Parameters:
    ///   - poll: wake the reader (``PostgresNotificationSequence/Wake/quiet``) when this long has passed
    ///     without one, as a fallback; nil to wake only on notifications.
    ///   - coalescing: wake the reader at most once in this interval: notifications that come sooner
    ///     wait, and come with everything notified meanwhile.
    nonisolated(nonsending) public func withNotifications<Result>(
        on channel: String, poll: Duration? = nil, coalescing: Duration = .zero, logger: Logger,
        _ body: (PostgresNotificationSequence) async throws -> Result
    ) async rethrows -> Result {
        let connection = ListeningConnection()
        let wakes = PostgresNotificationSequence(
            configuration: self, channel: channel, poll: poll, coalescing: coalescing, logger: logger,
            connection: connection)
        do {
            let result = try await body(wakes)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
