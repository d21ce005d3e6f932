import FieldSyncModel
import FieldSyncTestSupport
import Testing

/// Verifying an export line by line: a sound log, and each way of breaking it found at its first line.
@Suite struct ExportVerificationTests {
    let log = SignedLog()

    /// Verifies `lines`; the first break, or nil when the whole file verifies.
    func verify(_ lines: [[UInt8]], pinned: PublicKey? = nil) -> LogBreak? {
        var verification = ExportVerification(pinnedServerKey: pinned)
        for line in lines {
            if let found = verification.read(line: line) { return found }
        }
        return verification.finish()
    }

    @Test func aSoundExportVerifies() throws {
        let lines = log.exportLines
        var verification = ExportVerification(pinnedServerKey: log.election.serverKey.publicKey)
        for line in lines { #expect(verification.read(line: line) == nil) }
        #expect(verification.finish() == nil)
        let summary = verification.summary
        #expect(summary.events == lines.count - 1)
        #expect(summary.devices == 3)
        #expect(summary.lastPosition == Int64(lines.count - 1))
        #expect(summary.serverKey == log.election.serverKey.publicKey)
    }

    @Test func aHeadWithoutPublicKeyVerifiesToo() {
        let stored = log.stored
        var lines = stored.map { Array($0.line.utf8) + [0x0a] }
        lines.append(SignedLog.head(after: stored, key: log.election.serverKey, publicKey: false).line)
        #expect(verify(lines) == nil)
    }

    @Test func aChangedPayloadBreaksTheSignatureAndTheChainAtItsLine() throws {
        var lines = log.exportLines
        let index = lines.count - 3  // the replacement, whose data has a reason
        var object = try #require(try JSONParser.parse(lines[index]).objectValue)
        var data = try #require(object["data"]?.objectValue)
        data["reason"] = "Something else"
        object["data"] = .object(data)
        lines[index] = CanonicalJSON.bytes(.object(object)) + [0x0a]
        let found = try #require(verify(lines))
        #expect(found.line == index + 1)
        #expect(found.position == Int64(index + 1))
        #expect(found.event?.description == object["id"]?.stringValue)
        let codes = Set(found.problems.map(\.code))
        #expect(codes.contains(.badSignature) && codes.contains(.chainBroken))
        #expect(found.description.hasPrefix("line \(index + 1) (position \(index + 1), event "))
    }

    @Test func aMissingLineIsFoundAtTheLineAfterIt() throws {
        var lines = log.exportLines
        lines.remove(at: 20)
        let found = try #require(verify(lines))
        #expect(found.line == 21)
        #expect(found.position == 22)
        #expect(found.problems.contains { $0.field == "position" && $0.problem == "22 does not follow 20" })
    }

    @Test func swappedLinesAreFound() throws {
        var lines = log.exportLines
        lines.swapAt(30, 31)
        let found = try #require(verify(lines))
        #expect(found.line == 31)
        #expect(found.problems.contains { $0.field == "position" })
    }

    @Test func aDroppedLastEventIsFoundByTheHead() throws {
        var lines = log.exportLines
        lines.remove(at: lines.count - 2)
        let found = try #require(verify(lines))
        #expect(found.line == lines.count)
        #expect(found.problems.contains { $0.field == "position" && $0.code == .chainBroken })
    }

    @Test func aForgedHeadIsFound() throws {
        var lines = log.exportLines
        let stored = log.stored
        lines[lines.count - 1] = SignedLog.head(after: stored, key: SigningKey.generate()).line
        let found = try #require(verify(lines))
        #expect(found.problems.map(\.field).contains("publicKey"))
        lines[lines.count - 1] = SignedLog.head(after: stored, key: SigningKey.generate(), publicKey: false).line
        let unsigned = try #require(verify(lines))
        #expect(unsigned.problems.map(\.code) == [.badSignature])
    }

    @Test func anExportWithoutItsHeadOrCutShortDoesNotVerify() throws {
        var lines = log.exportLines
        lines.removeLast()
        let found = try #require(verify(lines))
        #expect(found.line == lines.count + 1)
        #expect(found.problems[0].problem.contains("without the server's signed chain head"))
        #expect(verify([])?.problems[0].problem == "the file is empty")
        let torn = Array(log.exportLines[5].prefix(40))
        #expect(verify(Array(log.exportLines.prefix(5)) + [torn])?.problems[0].code == .invalidJSON)
    }

    @Test func aLineAfterTheHeadIsABreak() throws {
        let lines = log.exportLines
        let found = try #require(verify(lines + [lines[3]]))
        #expect(found.line == lines.count + 1)
        #expect(found.problems[0].problem == "a line follows the signed chain head")
    }

    @Test func aPinnedKeyMustBeTheLogsServerKey() throws {
        let found = try #require(verify(log.exportLines, pinned: SigningKey.generate().publicKey))
        #expect(found.line == 1)
        #expect(found.problems[0].field == "data.publicKey")
    }

    @Test func aLineThatIsJSONButNotCanonicalIsABreak() throws {
        var lines = log.exportLines
        var text = String(decoding: lines[7].dropLast(), as: UTF8.self)
        text.insert(" ", at: text.index(after: text.startIndex))
        lines[7] = Array(text.utf8) + [0x0a]
        let found = try #require(verify(lines))
        #expect(found.line == 8 && found.position == 8)
        #expect(found.problems.map(\.code) == [.notCanonical] && found.problems[0].field == "")
        // The same value in canonical form is sound, and a carriage return before the line feed is dropped.
        var crlf = log.exportLines
        crlf[7].insert(0x0d, at: crlf[7].count - 1)
        #expect(verify(crlf) == nil)
    }

    @Test func aLineThatIsNotAnEventNamesWhatItCan() throws {
        var lines = log.exportLines
        var object = try #require(try JSONParser.parse(lines[9]).objectValue)
        object["seq"] = "nine"
        lines[9] = CanonicalJSON.bytes(.object(object)) + [0x0a]
        let found = try #require(verify(lines))
        #expect(found.line == 10 && found.position == 10)
        #expect(found.event != nil)
        #expect(found.problems.contains { $0.field == "seq" && $0.code == .wrongType })
    }
}
