import Foundation
import Synchronization

/// The one progress display of the program: a line on standard error for long work (a sync's push, an
/// export, a verification).
///
/// On a terminal the line is rewritten in place, at most four times a second, and ``clear()`` erases it;
/// elsewhere (a log file, a pipe) each update is a line of its own, at most one every ten seconds, so that
/// logs stay short. Work that ends within the first interval shows nothing at all.
final class ProgressLine: Sendable {
    private let terminal: Bool
    private let state: Mutex<State>

    private struct State {
        var lastShown = ContinuousClock.now
        /// The width of the line on the terminal; 0 when none is shown.
        var width = 0
    }

    init(terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.terminal = terminal
        self.state = Mutex(State())
    }

    /// Shows `text`, unless a line was shown very recently.
    func show(_ text: String) {
        state.withLock { state in
            let now = ContinuousClock.now
            guard now - state.lastShown >= (terminal ? .milliseconds(250) : .seconds(10)) else { return }
            state.lastShown = now
            if terminal {
                let padding = String(repeating: " ", count: max(0, state.width - text.count))
                FileHandle.standardError.write(Data(("\r" + text + padding).utf8))
                state.width = text.count
            } else {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
        }
    }

    /// Erases the line on a terminal, so that what follows starts on a clean line.
    func clear() {
        state.withLock { state in
            guard terminal, state.width > 0 else { return }
            FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: state.width) + "\r").utf8))
            state.width = 0
        }
    }

    /// A line of its own on standard error (`fieldsync: …`), after erasing the progress line.
    func note(_ text: String) {
        clear()
        Console.error("fieldsync: " + text)
    }
}
