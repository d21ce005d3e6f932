import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

@Suite struct LocalLogTests {
    typealias F = ClientFixture

    /// A home whose log holds `count` turnout counts.
    func homeWithLog(_ count: Int) async throws -> ClientHome {
        let home = try F.makeHome()
        var log = try await LocalLog.open(home: home, key: F.key.publicKey)
        var events = [Event]()
        var chain = log.chain
        for index in 0..<count { events.append(try chain.sign(F.turnout(index, minute: index), key: F.key)) }
        try log.append(events)
        return home
    }

    func bytes(_ home: ClientHome) throws -> [UInt8] { try DurableFile.contents(of: home.log) ?? [] }

    @Test func appendedEventsAreReadBackAndVerified() async throws {
        let home = try await homeWithLog(300)
        let log = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(log.isIntact)
        #expect(log.entries.count == 300)
        #expect(log.lastSeq == 300)
        #expect(log.entries.map(\.seq) == Array(1...300))
        #expect(log.lastStation == F.station.code)
        // One canonical line per event.
        let lines = try bytes(home).split(separator: 0x0a).map(Array.init)
        #expect(lines == log.entries.map { $0.event.canonicalBytes })
        #expect(DurableFile.mode(home.log) == 0o600)
        #expect(DurableFile.mode(home.path) == 0o700)
    }

    @Test func aTornLastLineIsQuarantinedAndTheRestKept() async throws {
        let home = try await homeWithLog(3)
        let good = try bytes(home)
        let torn = Array(#"{"data":{"asOf":"2024-02-08T1"#.utf8)
        try DurableFile.append(torn, to: home.log)

        let log = try await LocalLog.open(home: home, key: F.key.publicKey, stamp: "20240208T090000Z")
        #expect(log.isIntact)
        #expect(log.entries.count == 3)
        let quarantined = try #require(log.quarantined)
        #expect(quarantined.torn.line == 4)
        #expect(quarantined.torn.reason == "no line feed at its end")
        #expect(quarantined.file == home.quarantine + "/log-line-4-20240208T090000Z.torn")
        #expect(try DurableFile.contents(of: quarantined.file) == torn)
        #expect(try bytes(home) == good)
        #expect(quarantined.description.contains("record it again"))

        // Recording goes on after it, and the next open finds nothing more.
        var reopened = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(reopened.quarantined == nil)
        try reopened.record(F.turnout(99), key: F.key)
        #expect(try await LocalLog.open(home: home, key: F.key.publicKey).lastSeq == 4)
    }

    @Test func aLastLineOfGarbageWithItsLineFeedIsTornToo() async throws {
        let home = try await homeWithLog(2)
        try DurableFile.append([0, 0, 0, 0x0a], to: home.log)
        let log = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(log.isIntact)
        #expect(log.quarantined?.torn.reason.hasPrefix("not JSON") == true)
        #expect(log.entries.count == 2)
    }

    @Test func aChangedLineIsReportedAndNothingMoreIsWritten() async throws {
        let home = try await homeWithLog(5)
        let original = try bytes(home)
        var text = String(decoding: original, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "\"votesCast\":2", with: "\"votesCast\":7")
        text = lines.joined(separator: "\n")
        try DurableFile.replace(home.log, with: Array(text.utf8))

        // The same answer whether signatures are verified with the public key or checked by signing again.
        let verified = try await LocalLog.open(home: home, key: F.key.publicKey)
        var log = try await LocalLog.open(home: home, key: F.key)
        #expect(verified.problems == log.problems)
        #expect(!log.isIntact)
        #expect(log.problems.count == 1)
        #expect(log.problems[0].line == 3)
        #expect(log.problems[0].seq == 3)
        #expect(log.problems[0].what.contains("signature"))
        #expect(throws: LogDamaged.self) { try log.record(F.turnout(1), key: F.key) }
        #expect(try bytes(home) == Array(text.utf8))
        let damaged = try #require(throws: LogDamaged.self) { try log.requireIntact() }
        #expect(damaged.description.contains("line 3 (seq 3): the signature is not this device's signature"))
    }

    @Test func aRemovedLineBreaksTheChain() async throws {
        let home = try await homeWithLog(4)
        var lines = try bytes(home).split(separator: 0x0a).map(Array.init)
        lines.remove(at: 1)
        try DurableFile.replace(home.log, with: Array(lines.joined(separator: [0x0a])) + [0x0a])
        let log = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(log.problems.map(\.line) == [2])
        #expect(log.problems[0].description == "line 2 (seq 3): the chain is broken: seq 3 skips 2…2 (expected seq 2)")
        // A damaged log keeps its torn tail in place: nothing is moved while the owner decides.
    }

    @Test func aTornTailIsLeftInPlaceWhenTheLogHasOtherProblems() async throws {
        let home = try await homeWithLog(3)
        var lines = try bytes(home).split(separator: 0x0a).map(Array.init)
        lines.swapAt(0, 1)
        let damaged = Array(lines.joined(separator: [0x0a])) + [0x0a] + Array("{\"torn".utf8)
        try DurableFile.replace(home.log, with: damaged)
        let log = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(!log.isIntact)
        #expect(log.quarantined == nil)
        #expect(log.tornLine != nil)
        #expect(try bytes(home) == damaged)
    }

    @Test func anotherDevicesLineIsReported() async throws {
        let home = try await homeWithLog(1)
        let stranger = SigningKey.generate()
        var chain = DeviceChain(device: stranger.publicKey.deviceID)
        let foreign = try chain.sign(F.turnout(1), key: stranger)
        try DurableFile.append(foreign.canonicalBytes + [0x0a], to: home.log)
        let log = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(log.problems.count == 2)
        #expect(log.problems[0].what.hasPrefix("the event is not this device's"))
    }

    @Test func aReformattedLineIsReported() async throws {
        let home = try await homeWithLog(2)
        var lines = try bytes(home).split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
        lines[1] = lines[1].replacingOccurrences(of: "\":", with: "\": ")
        try DurableFile.replace(home.log, with: Array((lines.joined(separator: "\n") + "\n").utf8))
        let log = try await LocalLog.open(home: home, key: F.key.publicKey)
        #expect(
            log.problems.map(\.what) == ["the line is not in canonical form: it was rewritten after it was written"])
    }
}

@Suite struct SyncStateTests {
    @Test func roundTripsThroughItsFileWithMode0600() throws {
        let home = try ClientFixture.makeHome()
        #expect(try SyncState.load(home: home) == SyncState())
        var state = SyncState()
        state.serverSeq = 12
        state.serverHash = SHA256Digest.hash("x")
        state.receiptedSeq = 10
        state.receipts = 2
        state.lastSync = Timestamp(seconds: 1_707_000_000)
        state.lastOutcome = "conflict"
        state.conflicts = [
            SyncConflict(seq: 11, id: "id", reason: .answered(.sequenceTaken), existingPosition: 5, detail: "d")
        ]
        state.refused = [
            RefusedEvent(
                seq: 3, id: "r", errors: [FieldError(field: "time", code: .outsideWindow, problem: "p", allowed: "a")])
        ]
        state.referenceETag = "\"42\""
        try state.save(home: home)
        #expect(try SyncState.load(home: home) == state)
        #expect(DurableFile.mode(home.syncState) == 0o600)
        // Replaced, never appended to; no temporary file left behind.
        state.serverSeq = 13
        try state.save(home: home)
        #expect(try SyncState.load(home: home).serverSeq == 13)
        let files = try FileManager.default.contentsOfDirectory(atPath: home.path)
        #expect(!files.contains { $0.contains(".tmp") })
    }
}
