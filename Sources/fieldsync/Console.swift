import Foundation

/// The program's output. Lines go straight to the file descriptor, unbuffered, so they appear at once
/// and in order even when standard output is a pipe or a file.
enum Console {
    /// A line on standard output.
    static func line(_ text: String = "") {
        put(Data((text + "\n").utf8), to: .standardOutput)
    }

    /// Lines on standard output, written at once; nothing for none.
    static func lines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        line(lines.joined(separator: "\n"))
    }

    /// Bytes on standard output, as they are.
    static func write(_ bytes: [UInt8]) {
        put(Data(bytes), to: .standardOutput)
    }

    /// A line on standard error.
    static func error(_ text: String) {
        put(Data((text + "\n").utf8), to: .standardError)
    }

    /// Writes `data`; when nobody reads any more (a pipe closed early, as by `| head`), ends the program
    /// quietly with 141, the status a shell gives a program stopped by SIGPIPE, rather than crashing.
    private static func put(_ data: Data, to handle: FileHandle) {
        do {
            try handle.write(contentsOf: data)
        } catch {
            exit(141)
        }
    }
}
