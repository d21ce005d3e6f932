import Foundation

/// The program's output. Lines go straight to the file descriptor, unbuffered, so they appear at once
/// and in order even when standard output is a pipe or a file.
enum Console {
    /// A line on standard output.
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Lines on standard output, written at once; nothing for none.
    static func lines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        line(lines.joined(separator: "\n"))
    }

    /// Bytes on standard output, as they are.
    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// A line on standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
