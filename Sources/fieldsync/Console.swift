import Foundation

/// The program's output. Lines go straight to the file descriptor, unbuffered, so they appear at once
/// and in order even when standard output is a pipe or a file.
enum Console {
    /// A line on standard output.
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A line on standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
