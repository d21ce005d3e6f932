import Foundation

/// Reads an export file line by line in big chunks, holding one chunk and one line in memory however
/// long the file.
public struct ExportFileReader: Sendable {
    public let path: String
    /// How many bytes are read at a time.
    public var chunkSize = 4 << 20

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` with each line's number (from 1), its bytes without the line feed, and whether it
    /// ended with one (only a torn last line does not), in file order, until `body` returns false.
    public func forEachLine(
        _ body: (_ number: Int, _ line: UnsafeRawBufferPointer, _ complete: Bool) throws -> Bool
    ) throws {
        let lines = try self.lines()
        while try lines.next(body) == true {}
    }

    /// The file's lines, to read one at a time.
    func lines() throws(ExportFileProblem) -> ExportFileLines {
        try ExportFileLines(path: path, chunkSize: chunkSize)
    }
}
