import FieldSyncModel
import FieldSyncTestSupport
import Foundation

/// An export file in a fresh folder, and what tests read of it.
struct ExportFile {
    let path: String

    init(_ name: String = "export.ndjson") throws {
        path = try makeTemporaryDirectory("audit") + "/" + name
    }

    var bytes: [UInt8] { FileManager.default.contents(atPath: path).map(Array.init) ?? [] }

    /// The lines, each without its line feed.
    var lines: [[UInt8]] { bytes.split(separator: 0x0a, omittingEmptySubsequences: false).dropLast().map(Array.init) }

    /// The last line, read as a signed head.
    var head: SignedChainHead? { lines.last.flatMap { SignedChainHead(bytes: $0) } }

    func write(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
