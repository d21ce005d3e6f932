import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// Reading an export file: line by line in chunks, and its end, to continue an export after a cut.
@Suite struct ExportFileTests {
    let log = SignedLog()

    func write(_ bytes: [UInt8]) throws -> String {
        let path = try makeTemporaryDirectory("audit-file") + "/export.ndjson"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func linesAreReadWholeAcrossChunks() throws {
        let lines = log.exportLines
        let path = try write(lines.flatMap { $0 })
        var reader = ExportFileReader(path: path)
        reader.chunkSize = 97
        var read = [[UInt8]]()
        try reader.forEachLine { number, bytes, complete in
            #expect(complete)
            #expect(number == read.count + 1)
            read.append(Array(bytes) + [0x0a])
            return true
        }
        #expect(read == lines)
    }

    @Test func aTornLastLineIsReadAsIncomplete() throws {
        let lines = log.exportLines
        let path = try write(lines.prefix(3).flatMap { $0 } + lines[3].prefix(10))
        var last: (Int, Bool)?
        try ExportFileReader(path: path).forEachLine { number, _, complete in
            last = (number, complete)
            return true
        }
        #expect(last?.0 == 4 && last?.1 == false)
    }

    /// `audit verify` reads batches on the cores while it verifies the one before: the answer is the same
    /// whatever the batch size, and a break is found at its own line, in whichever batch it falls.
    @Test(arguments: [1, 7, 2048]) func verificationGivesOneAnswerWhateverTheBatchSize(batchSize: Int) async throws {
        let lines = log.exportLines
        var verification = ExportFileVerification(path: try write(lines.flatMap { $0 }))
        verification.batchSize = batchSize
        var reported = [Int]()
        let verified = try await verification.run { reported.append($0) }.get()
        #expect(verified.events == lines.count - 1)
        #expect(reported == reported.sorted() && reported.last == lines.count)

        // A line missing near the end: the line after it breaks the position chain.
        var missing = lines
        missing.remove(at: lines.count - 3)
        verification = ExportFileVerification(path: try write(missing.flatMap { $0 }))
        verification.batchSize = batchSize
        guard case .failure(let found) = try await verification.run() else {
            Issue.record("a log with a line missing verifies")
            return
        }
        #expect(found.line == lines.count - 2)

        // A torn last line.
        verification = ExportFileVerification(path: try write(lines.dropLast().flatMap { $0 } + lines.last!.prefix(20)))
        verification.batchSize = batchSize
        guard case .failure(let torn) = try await verification.run() else {
            Issue.record("a log with a torn last line verifies")
            return
        }
        #expect(torn.line == lines.count)
        #expect(torn.description.contains("cut short"))

        // Another event's signature near the end: signatures checked on the cores ahead of the order are
        // checked all the same, and the break is at its own line.
        var forged = lines
        let target = lines.count - 4
        var object = try #require(try JSONParser.parse(lines[target]).objectValue)
        object["signature"] = try JSONParser.parse(lines[target - 1])["signature"]
        forged[target] = CanonicalJSON.bytes(.object(object)) + [0x0a]
        verification = ExportFileVerification(path: try write(forged.flatMap { $0 }))
        verification.batchSize = batchSize
        guard case .failure(let signature) = try await verification.run() else {
            Issue.record("a log with another event's signature verifies")
            return
        }
        #expect(signature.line == target + 1)
        #expect(signature.problems.contains { $0.field == "signature" && $0.code == .badSignature }, "\(signature)")
    }

    @Test func theEndOfAFinishedExportDropsItsHead() throws {
        let lines = log.exportLines
        let path = try write(lines.flatMap { $0 })
        let end = try ExportFileEnd(path: path)
        #expect(end.hadHead)
        #expect(end.tornBytes == 0)
        #expect(end.lastPosition == Int64(lines.count - 1))
        #expect(end.keptBytes == UInt64(lines.dropLast().reduce(0) { $0 + $1.count }))
        #expect(end.lastLine.map { $0 + [0x0a] } == lines[lines.count - 2])
    }

    @Test func theEndOfACutExportDropsTheTornLine() throws {
        let lines = log.exportLines
        let path = try write(lines.prefix(12).flatMap { $0 } + lines[12].prefix(100))
        let end = try ExportFileEnd(path: path)
        #expect(!end.hadHead)
        #expect(end.tornBytes == 100)
        #expect(end.lastPosition == 12)
        #expect(end.keptBytes == UInt64(lines.prefix(12).reduce(0) { $0 + $1.count }))
    }

    @Test func emptyMissingAndForeignFiles() throws {
        let empty = try ExportFileEnd(path: try write([]))
        #expect(empty.lastPosition == 0 && empty.keptBytes == 0 && empty.lastLine == nil)
        let missing = try ExportFileEnd(path: try makeTemporaryDirectory("audit-file") + "/none.ndjson")
        #expect(missing.keptBytes == 0)
        let torn = try ExportFileEnd(path: try write(Array(log.exportLines[0].prefix(30))))
        #expect(torn.keptBytes == 0 && torn.tornBytes == 30)
        #expect(throws: ExportFileProblem.self) { try ExportFileEnd(path: try write(Array("hello\n".utf8))) }
    }
}
