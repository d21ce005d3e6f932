import Foundation

/// The lines of an open export file, one at a time, for whoever reads them at its own pace: one chunk of
/// the file and one line are held in memory however long the file. The file is closed with the reader.
final class ExportFileLines {
    private let file: ExportFileHandle
    private let chunk: UnsafeMutableRawBufferPointer
    /// Bytes of `chunk` read from the file, and where the next line starts among them.
    private var filled = 0
    private var start = 0
    /// The start of a line that began in an earlier chunk.
    private var carried = [UInt8]()
    private var number = 0
    private var atEnd = false

    init(path: String, chunkSize: Int) throws(ExportFileProblem) {
        file = try ExportFileHandle(reading: path)
        chunk = .allocate(byteCount: chunkSize, alignment: 1)
    }

    deinit {
        file.closeFile()
        chunk.deallocate()
    }

    /// Calls `body` with the next line's number (from 1), its bytes without the line feed, and whether it
    /// ended with one (only a torn last line does not), and returns what `body` returns; nil after the
    /// last line.
    func next<Result>(
        _ body: (_ number: Int, _ line: UnsafeRawBufferPointer, _ complete: Bool) throws -> Result
    ) throws -> Result? {
        while true {
            if start < filled {
                if let found = memchr(chunk.baseAddress! + start, 0x0a, filled - start) {
                    let end = chunk.baseAddress!.distance(to: found)
                    let line = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
                    start = end + 1
                    number += 1
                    if carried.isEmpty { return try body(number, line, true) }
                    carried.append(contentsOf: line)
                    defer { carried.removeAll(keepingCapacity: true) }
                    return try carried.withUnsafeBytes { try body(number, $0, true) }
                }
                carried.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<filled]))
                start = filled
            }
            if atEnd { return nil }
            filled = try file.readChunk(into: chunk)
            start = 0
            if filled == 0 {
                atEnd = true
                guard !carried.isEmpty else { return nil }
                number += 1
                defer { carried.removeAll() }
                return try carried.withUnsafeBytes { try body(number, $0, false) }
            }
        }
    }
}
