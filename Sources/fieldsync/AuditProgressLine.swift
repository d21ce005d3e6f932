import Foundation

/// A progress line on standard error: rewritten in place on a terminal, at most four times a second;
/// elsewhere (a log file, a pipe) one line every ten seconds, so that logs stay short.
final class AuditProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let terminal = isatty(STDERR_FILENO) == 1
    /// A quick run shows no progress at all: the first line comes after one interval.
    private var lastShown = ContinuousClock.now
    private var width = 0

    /// Shows `text`, unless a line was shown very recently.
    func show(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastShown >= (terminal ? .milliseconds(250) : .seconds(10)) else { return }
        lastShown = now
        if terminal {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            FileHandle.standardError.write(Data(("\r" + text + padding).utf8))
            width = text.count
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Clears the line on a terminal, so that what follows starts on a clean line.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        guard terminal, width > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8))
        width = 0
    }
}
