import FieldSyncClient
import Synchronization

/// What `fieldsync sync` shows while it runs: the push as a bar on the ``ProgressLine``, and notices
/// (retries) as lines of their own.
final class SyncProgressView: Sendable {
    let line = ProgressLine()
    /// The events to push, and when the push began.
    private let push = Mutex((total: Int64(0), started: ContinuousClock.now))

    func handle(_ progress: SyncProgress) {
        switch progress {
        case .pushing(let total):
            push.withLock { $0 = (total, .now) }
        case .pushed(let done, _):
            let (total, started) = push.withLock { $0 }
            line.show(Self.bar(done: done, total: total, elapsed: ContinuousClock.now - started))
        case .retrying(let reason, let attempt, let delay):
            let seconds = (delay / .milliseconds(100)).rounded() / 10
            line.note("\(reason); trying again in \(seconds) s (attempt \(attempt + 1))")
        case .notice(let text):
            line.note("note: \(text)")
        }
    }

    /// `[#########.....................] 120/400 events  310/s`.
    static func bar(done: Int64, total: Int64, elapsed: Duration) -> String {
        let width = 30
        let fraction = min(1, Double(done) / Double(max(total, 1)))
        let filled = Int(fraction * Double(width))
        let seconds = elapsed / .seconds(1)
        let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) events  \(rate)/s"
    }
}
