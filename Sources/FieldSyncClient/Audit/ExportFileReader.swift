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
        let file = try ExportFileHandle(reading: path)
        defer { file.closeFile() }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { chunk.deallocate() }
        var carried = [UInt8]()
        var number = 0
        while true {
            let count = try file.readChunk(into: chunk)
            if count == 0 { break }
            var start = 0
            while start < count {
                guard let found = memchr(chunk.baseAddress! + start, 0x0a, count - start) else {
                    carried.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<count]))
                    break
                }
                let end = chunk.baseAddress!.distance(to: found)
                number += 1
                let more: Bool
                if carried.isEmpty {
                    more = try body(number, UnsafeRawBufferPointer(rebasing: chunk[start..<end]), true)
                } else {
                    carried.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<end]))
                    more = try carried.withUnsafeBytes { try body(number, $0, true) }
                    carried.removeAll(keepingCapacity: true)
                }
                if !more { return }
                start = end + 1
            }
        }
        if !carried.isEmpty {
            number += 1
            _ = try carried.withUnsafeBytes { try body(number, $0, false) }
        }
    }
}
