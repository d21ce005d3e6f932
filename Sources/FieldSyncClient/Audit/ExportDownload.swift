import FieldSyncModel
import Foundation
import NIOCore

/// `fieldsync audit export`: the server's log into an NDJSON file, up to the signed head fetched first,
/// one export line per event exactly as served, then the head itself as the last line.
///
/// Resumable: run again on the same file and it goes on after the last complete event line (a torn last
/// line or a head at the end is dropped first), up to a fresh head; the server's copy of that last line
/// must still be the file's. A download that breaks off goes on from the last complete line by itself,
/// a few times. Memory stays bounded: pieces of the body are written as they arrive.
public struct ExportDownload: Sendable {
    public let server: AuditServer
    public let path: String
    /// For a new file: start after this position instead of from the beginning of the log.
    public let after: Int64?
    /// How many times in a row a download that breaks off is taken up again.
    public var attempts = 5

    public init(server: AuditServer, path: String, after: Int64? = nil) {
        self.server = server
        self.path = path
        self.after = after
    }

    /// What the export did.
    public struct Outcome: Sendable {
        public let head: SignedChainHead
        public let progress: ExportProgress
        /// How the file ended before: what was dropped to continue it.
        public let resumedFrom: ExportFileEnd
    }

    /// Runs the export, calling `report` as it goes (at most every few hundred milliseconds, and at the end).
    public func run(report: @Sendable (ExportProgress) -> Void = { _ in }) async throws -> Outcome {
        let head = try await server.chainHead()
        let headPosition = head.position ?? 0
        let end = try ExportFileEnd(path: path)
        if let after, end.lastLine != nil, after != end.lastPosition {
            throw ExportFileProblem(
                "\(path) already holds events up to position \(end.lastPosition), so --after \(after) would leave a "
                    + "gap or overlap (allowed: no --after to continue the file, or another file)")
        }
        if end.lastPosition > headPosition {
            throw ExportFileProblem(
                "\(path) holds events up to position \(end.lastPosition), beyond the server's head at "
                    + "\(headPosition): it is not an export of this server (allowed: another file)")
        }
        let file = try ExportFileHandle(appendingTo: path, keeping: end.keptBytes)
        defer { file.closeFile() }
        let start = end.lastLine == nil ? (after ?? 0) : end.lastPosition
        var writer = LineWriter(
            file: file, expectedFirstLine: end.lastLine,
            progress: ExportProgress(
                startPosition: start, position: start, headPosition: headPosition, events: 0, bytes: 0, seconds: 0,
                retries: 0))
        let clock = ContinuousClock()
        let began = clock.now
        var lastReport = began
        var failures = 0
        while writer.progress.position < headPosition {
            let before = writer.progress.position
            // After the file's last event, ask for that event again: the server's copy must be the file's.
            let from = writer.expectedFirstLine == nil ? before : before - 1
            do {
                try await server.events(after: from, limit: headPosition - from) { piece in
                    try writer.take(piece)
                    let now = clock.now
                    if now - lastReport > .milliseconds(250) {
                        lastReport = now
                        writer.progress.seconds = Self.seconds(now - began)
                        report(writer.progress)
                    }
                }
                try writer.finishPiece()
                if writer.progress.position == before { break }
                failures = 0
            } catch let error as AuditServerError where error.kind == .unreachable {
                try writer.dropPartialLine()
                failures += 1
                writer.progress.retries += 1
                guard failures < attempts else {
                    throw AuditServerError(
                        .unreachable,
                        "the download broke off after position \(writer.progress.position) of "
                            + "\(headPosition), \(attempts) times in a row (last: \(error)); the server may be unable "
                            + "to send the event at position \(writer.progress.position + 1). \(path) holds every "
                            + "event up to position \(writer.progress.position): run the same command again to go on")
                }
                try await Task.sleep(for: .milliseconds(250 << min(failures, 5)))
            }
        }
        try file.append(head.line)
        try file.sync()
        writer.progress.seconds = Self.seconds(clock.now - began)
        report(writer.progress)
        return Outcome(head: head, progress: writer.progress, resumedFrom: end)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Writes the pieces of an NDJSON body to the file, whole lines only, and keeps count.
struct LineWriter {
    let file: ExportFileHandle
    /// The file's last event line, which the first line of the next answer must repeat; nil once checked.
    var expectedFirstLine: [UInt8]?
    var progress: ExportProgress
    /// The start of a line whose end has not arrived yet.
    private var partial: [UInt8] = []

    init(file: ExportFileHandle, expectedFirstLine: [UInt8]?, progress: ExportProgress) {
        self.file = file
        self.expectedFirstLine = expectedFirstLine
        self.progress = progress
        partial.reserveCapacity(1 << 16)
    }

    /// Takes one piece of the body: writes every line it completes.
    mutating func take(_ piece: ByteBuffer) throws {
        try piece.withUnsafeReadableBytes { (bytes: UnsafeRawBufferPointer) throws in
            guard let lastFeed = bytes.lastIndex(of: 0x0a) else {
                partial.append(contentsOf: bytes)
                return
            }
            var lines = UnsafeRawBufferPointer(rebasing: bytes[...lastFeed])
            let rest = UnsafeRawBufferPointer(rebasing: bytes[(lastFeed + 1)...])
            if !partial.isEmpty || expectedFirstLine != nil {
                // Complete the pending line (and check the repeated one) before writing the rest whole.
                let firstFeed = lines.firstIndex(of: 0x0a)!
                partial.append(contentsOf: lines[...firstFeed])
                lines = UnsafeRawBufferPointer(rebasing: lines[(firstFeed + 1)...])
                let line = partial
                partial.removeAll(keepingCapacity: true)
                try write(line: line)
            }
            if !lines.isEmpty {
                try file.append(lines)
                progress.bytes += lines.count
                var count = 0
                for byte in lines where byte == 0x0a { count += 1 }
                progress.events += count
                progress.position = try Self.position(ofLastLineIn: lines)
            }
            partial.append(contentsOf: rest)
        }
    }

    /// At the end of an answer: a line without its line feed means the answer was cut.
    mutating func finishPiece() throws {
        guard partial.isEmpty else {
            partial.removeAll(keepingCapacity: true)
            throw AuditServerError(.unreachable, "the answer ended in the middle of a line")
        }
    }

    /// After a broken download: forget the line that did not arrive whole.
    mutating func dropPartialLine() throws {
        partial.removeAll(keepingCapacity: true)
    }

    private mutating func write(line: [UInt8]) throws {
        if let expected = expectedFirstLine {
            expectedFirstLine = nil
            guard Array(line.dropLast()) == expected else {
                throw ExportFileProblem(
                    "the server's event at position \(progress.position) is not the one the file ends with: the file "
                        + "is not an export of this server, or the server's log has changed since (allowed: another "
                        + "file, and fieldsync audit verify on this one)")
            }
            return
        }
        try file.append(line)
        progress.bytes += line.count
        progress.events += 1
        progress.position = try Self.position(of: line)
    }

    /// The `position` of the last line of `lines`, which end with a line feed.
    static func position(ofLastLineIn lines: UnsafeRawBufferPointer) throws -> Int64 {
        let end = lines.count - 1
        let start = lines[..<end].lastIndex(of: 0x0a).map { $0 + 1 } ?? 0
        return try position(of: UnsafeRawBufferPointer(rebasing: lines[start..<end]))
    }

    /// The `position` of one export line.
    static func position(of line: some Collection<UInt8>) throws -> Int64 {
        guard let json = try? JSONParser.parse(line), let position = json["position"]?.integerValue else {
            throw AuditServerError(
                .badAnswer,
                "the server sent a line that is not an export line: \(String(decoding: line.prefix(120), as: UTF8.self))"
            )
        }
        return position
    }
}
