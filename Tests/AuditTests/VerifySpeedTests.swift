import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// How fast `fieldsync audit verify` checks a long log. Runs only when `FIELDSYNC_AUDIT_SPEED_EVENTS` says
/// how many events to generate (such as 200000): the whole Karachi reference data signed by a server key,
/// one enrolled reporter per station, each with a day of turnout counts, interleaved as they would arrive.
/// With `FIELDSYNC_AUDIT_SPEED_FILE`, the log is written to that path and kept. Then verified again with
/// `--since` a signed tree head of its first nine tenths (written beside it), as an auditor who verified
/// those before.
@Suite struct VerifySpeedTests {
    static let events = ProcessInfo.processInfo.environment["FIELDSYNC_AUDIT_SPEED_EVENTS"].flatMap { Int($0) }

    /// Where to write the log, and keep it (for `Tools/benchmark.sh`); a temporary folder without it.
    static let keptFile = ProcessInfo.processInfo.environment["FIELDSYNC_AUDIT_SPEED_FILE"]

    @Test(.enabled(if: events != nil)) func verifySpeed() async throws {
        let path = try Self.keptFile ?? ExportFile("speed.ndjson").path
        let generated = Date()
        let count = try Self.writeLog(to: path, events: Self.events ?? 0)
        print("generated \(count) events in \(String(format: "%.1f", Date().timeIntervalSince(generated))) s")
        let outcome = try await Program.run(["audit", "verify", path], timeout: .seconds(3600))
        #expect(outcome.status == 0, "\(outcome)")
        print(outcome.output)
        // Again with --since the tree head of the first nine tenths, as an auditor who verified those before.
        let since = try await Program.run(
            ["audit", "verify", path, "--since", Self.sinceHead(of: path)], timeout: .seconds(3600))
        #expect(since.status == 0, "\(since)")
        print(since.output)
    }

    /// The file beside the log `path` that holds the signed tree head of its first nine tenths.
    static func sinceHead(of path: String) -> String { path + ".since.json" }

    /// Writes a signed export of about `events` events; how many it wrote.
    static func writeLog(to path: String, events target: Int) throws -> Int {
        let demo = KarachiDemo()
        let serverKey = try SigningKey(rawRepresentation: Array(repeating: 7, count: 32))
        var reference = demo.serverEvents(key: serverKey, name: "FieldSync speed test")
        var server = DeviceChain(device: .server, lastSeq: Int64(reference.count), lastHash: reference.last!.hash)
        let perStation = 40
        let stations = Array(demo.stations.prefix(max(1, (target - reference.count) / (perStation + 1))))
        var reporters = [(key: SigningKey, chain: DeviceChain, station: PollingStation)]()
        for (index, station) in stations.enumerated() {
            var seed = [UInt8](repeating: 0, count: 32)
            withUnsafeBytes(of: UInt32(index + 1).bigEndian) { seed.replaceSubrange(0..<4, with: $0) }
            let key = try SigningKey(rawRepresentation: seed)
            let enrollment = DeviceEnrollment(
                publicKey: key.publicKey, reporter: "Reporter \(index + 1)", role: .reporter)
            reference.append(
                try server.sign(
                    EventDraft(payload: .deviceEnrolled(enrollment), time: ObservedTime("2024-02-07T18:00:00+05:00")!),
                    key: serverKey))
            reporters.append((key, DeviceChain(device: key.publicKey.deviceID), station))
        }
        var events = reference
        let opens = Timestamp(rfc3339: "2024-02-08T08:00:00+05:00")!
        for round in 0..<perStation {
            for index in reporters.indices {
                let station = reporters[index].station
                let asOf = ObservedTime(opens.adding(minutes: Int64(round * 12)), offsetMinutes: 300)
                let votes = min(station.voters.total, (round + 1) * station.voters.total / (perStation * 2))
                let draft = EventDraft(
                    payload: .turnoutCounted(TurnoutCount(asOf: asOf, votesCast: votes)),
                    subject: station.code.rawValue,
                    time: asOf)
                events.append(try reporters[index].chain.sign(draft, key: reporters[index].key))
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(events.count * 700)
        var previous = GlobalChain.genesis
        let received = Timestamp(rfc3339: "2024-02-08T03:00:00Z")!
        var tree = TreeFrontier()
        for (index, event) in events.enumerated() {
            let stored = StoredEvent(
                event: event, position: Int64(index + 1), received: received.adding(seconds: Int64(index / 10)),
                previous: previous)
            previous = stored.chain
            stored.writeLine(into: &out)
            if index < events.count * 9 / 10 { _ = tree.append(leafHash: MerkleTree.leafHash(chain: stored.chain)) }
        }
        let nineTenths = TreeHead(size: tree.size, root: tree.root, time: received).signed(with: serverKey)
        try Data(CanonicalJSON.bytes(.object(nineTenths))).write(to: URL(fileURLWithPath: sinceHead(of: path)))
        let head = SignedObject.signed(
            [
                "type": .string(SignedChainHead.type), "position": .integer(Int64(events.count)),
                "chain": .string(previous.hex), "time": "2024-02-09T05:30:00.000000Z",
                "publicKey": .string(serverKey.publicKey.base64URL),
            ], with: serverKey)
        out += SignedChainHead(json: .object(head))!.line
        try Data(out).write(to: URL(fileURLWithPath: path))
        return events.count
    }
}
