import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport

/// A whole signed log in memory, as a server would export it: the server's identity and reference data for
/// NA-235, three enrolled reporters, their polling day, every event stored with its position, received
/// time and global chain link, and the head signed by the server's key.
struct SignedLog {
    var election = SmallElection(seats: ["NA-235"])
    private(set) var events: [Event]
    private(set) var reporters = [TestReporter(seed: 11), TestReporter(seed: 12), TestReporter(seed: 13)]

    init() {
        events = election.reference
        for (index, reporter) in reporters.enumerated() {
            events.append(contentsOf: election.enroll(reporter.key, name: "Reporter \(index + 1)"))
        }
        let stations = election.stations
        let candidates = election.candidates(in: election.seats[0])
        var reporters = self.reporters
        events += PollingDay.record(stations: stations, candidates: candidates) { index, payload, station, time in
            reporters[index].record(payload, at: station, time: time)
        }
        self.reporters = reporters
    }

    /// The events stored in order from position 1, received one second apart.
    var stored: [StoredEvent] {
        var previous = GlobalChain.genesis
        let start = Timestamp(rfc3339: "2024-02-08T03:00:00Z")!
        return events.enumerated().map { index, event in
            let stored = StoredEvent(
                event: event, position: Int64(index + 1), received: start.adding(seconds: Int64(index)),
                previous: previous)
            previous = stored.chain
            return stored
        }
    }

    /// The server's signed head after `stored`, with the `publicKey` member the API adds.
    static func head(after stored: [StoredEvent], key: SigningKey, publicKey: Bool = true) -> SignedChainHead {
        var object: [String: JSONValue] = [
            "type": .string(SignedChainHead.type), "position": .integer(stored.last?.position ?? 0),
            "chain": .string((stored.last?.chain ?? GlobalChain.genesis).hex), "time": "2024-02-09T05:30:00.000000Z",
        ]
        if publicKey { object["publicKey"] = .string(key.publicKey.base64URL) }
        return SignedChainHead(json: .object(SignedObject.signed(object, with: key)))!
    }

    /// The export file's lines, each with its line feed: every stored event, then the head.
    var exportLines: [[UInt8]] {
        let stored = self.stored
        return stored.map {
            var out = [UInt8]()
            $0.writeLine(into: &out)
            return out
        }
            + [Self.head(after: stored, key: election.serverKey).line]
    }

    /// The tallies of the whole log.
    var tally: ElectionTally { ElectionTally(replaying: stored) }

    var seat: ConstituencyCode { election.seats[0] }
    var stations: [PollingStation] { election.stations }
}
