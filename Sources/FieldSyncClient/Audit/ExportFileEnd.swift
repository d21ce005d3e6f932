import FieldSyncModel
import Foundation

/// How an export file ends, read from its end: what to keep when the export goes on. A torn last line
/// (no line feed: the previous run was cut off while writing) is dropped, and so is a signed head at
/// the end (a finished export that is brought up to date), so that the file ends with its last complete
/// event line. Reads only the end of the file, however long it is.
public struct ExportFileEnd: Hashable, Sendable {
    /// How many bytes of the file to keep: up to and including the last complete event line.
    public let keptBytes: UInt64
    /// The last complete event line, without its line feed; nil when the file holds no event.
    public let lastLine: [UInt8]?
    /// The position of ``lastLine``; 0 when the file holds no event.
    public let lastPosition: Int64
    /// Bytes of a torn last line that are dropped.
    public let tornBytes: UInt64
    /// Whether the file ended with a signed head, which is dropped.
    public let hadHead: Bool

    /// Reads the end of the file at `path`; a file that does not exist is an empty one.
    public init(path: String) throws(ExportFileProblem) {
        guard FileManager.default.fileExists(atPath: path) else {
            self.init(keptBytes: 0, lastLine: nil, lastPosition: 0, tornBytes: 0, hadHead: false)
            return
        }
        let file = try ExportFileHandle(reading: path)
        defer { file.closeFile() }
        let size = try file.size()
        var end = try file.endOfLastLine(before: size)
        let torn = size - end
        var hadHead = false
        var line = try file.line(endingAt: end)
        if let current = line, SignedChainHead(bytes: current.bytes) != nil {
            hadHead = true
            end = current.start
            line = try file.line(endingAt: end)
        }
        guard let line else {
            self.init(keptBytes: 0, lastLine: nil, lastPosition: 0, tornBytes: torn, hadHead: hadHead)
            return
        }
        guard let json = try? JSONParser.parse(line.bytes), let position = json["position"]?.integerValue,
            json["id"]?.stringValue != nil
        else {
            throw ExportFileProblem(
                "\(path) does not end with an export line, so the export cannot continue it (allowed: a file "
                    + "written by fieldsync audit export, or a new file)")
        }
        self.init(keptBytes: end, lastLine: line.bytes, lastPosition: position, tornBytes: torn, hadHead: hadHead)
    }

    init(keptBytes: UInt64, lastLine: [UInt8]?, lastPosition: Int64, tornBytes: UInt64, hadHead: Bool) {
        self.keptBytes = keptBytes
        self.lastLine = lastLine
        self.lastPosition = lastPosition
        self.tornBytes = tornBytes
        self.hadHead = hadHead
    }
}

/// A file that cannot be read, written or continued, in one line.
public struct ExportFileProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
