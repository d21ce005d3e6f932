import Foundation

/// Runs a blocking call on a thread of its own and awaits its result, so that rare blocking work
/// (pinging a starting server, waiting for a child process) never occupies the cooperative pool.
enum BlockingCall {
    static func run<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = "fieldsync blocking call"
            thread.start()
        }
    }
}
