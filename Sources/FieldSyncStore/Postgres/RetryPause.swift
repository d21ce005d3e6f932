import Logging

/// How long a long-running part of the server waits before trying again after a failure of PostgreSQL
/// (restarting, or refusing connections for a while): longer after each failure in a row, from a quarter
/// of a second up to ten seconds.
public enum RetryPause {
    public static func after(failures: Int) -> Duration {
        .milliseconds(min(10_000, 250 << min(max(failures, 1) - 1, 6)))
    }

    /// Runs `body` until it succeeds, logging each failure with `message` and pausing after it; gives up
    /// only when the task is cancelled, rethrowing the CancellationError.
    nonisolated(nonsending) public static func untilSuccess(
        _ message: Logger.Message, logger: Logger, _ body: () async throws -> Void
    ) async throws {
        var failures = 0
        while true {
            do {
                return try await body()
            } catch {
                try Task.checkCancellation()
                if error is CancellationError { throw error }
                failures += 1
                logger.error(message, metadata: ["error": "\(error)", "failures": "\(failures)"])
                try await Task.sleep(for: after(failures: failures))
            }
        }
    }
}
