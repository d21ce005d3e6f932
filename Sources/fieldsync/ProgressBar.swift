import FieldSyncClient
import FieldSyncModel
import Foundation
import Synchronization

/// The sync's progress bar and notices on standard error. The bar is drawn only when standard error
/// is a terminal and the backlog is large; notices (retries) are always written, one line each.
final class ProgressBar: Sendable {
    /// Backlogs smaller than this get no bar.
    static let threshold: Int64 = 200

    private let enabled: Bool
    private let state = Mutex(State())

    private struct State {
        var drawn = false
        var total: Int64 = 0
        var started = ContinuousClock.now
    }

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Whether standard error is a terminal.
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func handle(_ progress: SyncProgress) {
        switch progress {
        case .pushing(let total):
            state.withLock {
                $0.total = total
                $0.started = .now
            }
            draw(done: 0)
        case .pushed(let done, _):
            draw(done: done)
        case .retrying(let reason, let attempt, let delay):
            clear()
            let seconds = (delay / .milliseconds(100)).rounded() / 10
            Console.error("fieldsync: \(reason); trying again in \(seconds) s (attempt \(attempt + 1))")
        case .notice(let text):
            clear()
            Console.error("fieldsync: note: \(text)")
        }
    }

    private func draw(done: Int64) {
        guard enabled else { return }
        let line: String? = state.withLock { state in
            guard state.total >= Self.threshold else { return nil }
            state.drawn = true
            let width = 30
            let fraction = min(1, Double(done) / Double(max(state.total, 1)))
            let filled = Int(fraction * Double(width))
            let elapsed = (ContinuousClock.now - state.started) / .seconds(1)
            let rate = elapsed > 0 ? Int(Double(done) / elapsed) : 0
            return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + "] \(done)/\(state.total) events  \(rate)/s "
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Ends the bar's line, if one was drawn.
    func clear() {
        let drawn = state.withLock { state in
            defer { state.drawn = false }
            return state.drawn
        }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
