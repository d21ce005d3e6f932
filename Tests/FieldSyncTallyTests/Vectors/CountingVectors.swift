import FieldSyncModel
import FieldSyncTally
import Foundation

/// `Schema/vectors/counting.json`: who counts at a station (PROTOCOL.md §13, "Who counts"), case by
/// case. Each case continues the reference part of `export.ndjson` (the server's identity, the
/// definitions, the enrollments and assignments of reporter-1, reporter-2 and the editor) with a few
/// events signed by the vectors' keys, and gives what the fold makes of station NA-248-017: each seat's
/// status, the devices whose reports count, how many are held and the verification that stands; the
/// held devices; and the `report-held` and `verification-outdated` flags.
struct CountingVectors {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schema/vectors")

    static let station = StationCode("NA-248-017")!
    static let na248 = ConstituencyCode("NA-248")!
    static let ps125 = ConstituencyCode("PS-125")!

    /// A vectors key: its private seed is SHA-256 of `fieldsync-vectors/<name>` (see keys.json).
    static func key(_ name: String) -> SigningKey {
        try! SigningKey(rawRepresentation: SHA256Digest.hash("fieldsync-vectors/" + name).bytes)
    }

    /// The reference part of export.ndjson: its lines up to the first observation.
    let base: [StoredEvent]
    private var random = SplitMix64(seed: 0xC0_0A71)

    init() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("export.ndjson"), encoding: .utf8)
        var base = [StoredEvent]()
        for line in text.split(separator: "\n") {
            let stored = try StoredEvent(line: Array(line.utf8))
            guard stored.event.type.isReference else { break }
            base.append(stored)
        }
        self.base = base
    }

    /// One case being written: the events after the base, signed and chained.
    struct Case {
        var events: [Event] = []
        var chains: [DeviceID: DeviceChain]
        var random: SplitMix64
        let server = CountingVectors.key("server")

        mutating func id() -> EventID {
            EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
        }

        /// An event of `key`'s device (the server's for the server key).
        @discardableResult
        mutating func sign(_ payload: Payload, by key: SigningKey, at time: String, subject: String? = nil) -> Event {
            let device = key.publicKey == server.publicKey ? DeviceID.server : key.publicKey.deviceID
            var chain = chains[device] ?? DeviceChain(device: device)
            let event = try! chain.sign(
                EventDraft(payload: payload, subject: subject, time: ObservedTime(time)!), id: id(), key: key)
            chains[device] = chain
            events.append(event)
            return event
        }

        /// A Form-45 for `seat` (NA-248 unless said) at `station` (NA-248-017 unless said), by `key`'s device:
        /// `votes` for the seat's candidates C01, C02, …, and 10 rejected ballots.
        @discardableResult
        mutating func result(
            _ votes: [Int], by key: SigningKey, at time: String, seat: ConstituencyCode = na248,
            station: StationCode = station
        ) -> Event {
            var byCandidate = [CandidateID: Int]()
            for (offset, count) in votes.enumerated() {
                byCandidate[CandidateID(constituency: seat, number: offset + 1)] = count
            }
            let form = Form45Result(
                constituency: seat, registeredVoters: 1281, votes: byCandidate, rejected: 10,
                totalCast: votes.reduce(10, +))
            return sign(.resultReported(form), by: key, at: time, subject: station.rawValue)
        }

        mutating func enroll(_ key: SigningKey, name: String) {
            sign(
                .deviceEnrolled(DeviceEnrollment(publicKey: key.publicKey, reporter: name, role: .reporter)),
                by: server,
                at: "2024-02-08T07:00:00+05:00")
        }

        @discardableResult
        mutating func review(_ review: ReportReview, at time: String) -> Event {
            sign(.reportReviewed(review), by: server, at: time)
        }

        /// An editor's acceptance or rejection of `device`'s observations at the station.
        mutating func decide(_ device: DeviceID, accepted: Bool, reason: String, at time: String) {
            review(
                ReportReview(
                    station: CountingVectors.station, device: device, accepted: accepted,
                    editor: CountingVectors.key("editor").publicKey.deviceID, reason: reason), at: time)
        }
    }

    /// The cases: a name, what it shows, and the events after the base.
    var cases: [(name: String, about: String, events: [Event])] {
        let r1 = Self.key("reporter-1")
        let r2 = Self.key("reporter-2")
        let intruder = Self.key("intruder")
        let editor = Self.key("editor").publicKey.deviceID
        var server = DeviceChain(device: .server)
        for stored in base where stored.event.device.isServer {
            server = DeviceChain(device: .server, lastSeq: stored.event.seq, lastHash: stored.event.hash)
        }
        var random = self.random
        var all = [(String, String, [Event])]()
        func add(_ name: String, _ about: String, _ body: (inout Case) -> Void) {
            var item = Case(chains: [.server: server], random: random)
            body(&item)
            random = item.random
            all.append((name, about, item.events))
        }
        let a = [402, 198, 371, 12]
        let b = [0, 0, 0, 0]
        add(
            "unassigned-report-is-held",
            "intruder is enrolled but assigned nowhere: its all-zero Form-45 is held and does not dispute reporter-1's"
        ) { c in
            c.enroll(intruder, name: "Intruder (synthetic)")
            c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            c.result(b, by: intruder, at: "2024-02-08T19:40:00+05:00")
        }
        add(
            "assigned-by-seat",
            "reporter-2 is assigned to PS-125, a seat the station votes in: its different NA-248 Form-45 counts and disputes"
        ) { c in
            c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            c.result(b, by: r2, at: "2024-02-08T19:40:00+05:00")
        }
        add(
            "acceptance", "an editor accepts intruder's observations at the station: its agreeing Form-45 confirms"
        ) { c in
            c.enroll(intruder, name: "Intruder (synthetic)")
            c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            c.result(a, by: intruder, at: "2024-02-08T19:40:00+05:00")
            c.decide(
                intruder.publicKey.deviceID, accepted: true, reason: "Our stringer at the school, confirmed by phone.",
                at: "2024-02-08T21:00:00+05:00")
        }
        add(
            "rejection-after-acceptance",
            "a later rejection (higher server seq) supersedes the acceptance: intruder is held again, reason rejected"
        ) { c in
            c.enroll(intruder, name: "Intruder (synthetic)")
            c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            c.result(a, by: intruder, at: "2024-02-08T19:40:00+05:00")
            c.decide(
                intruder.publicKey.deviceID, accepted: true, reason: "Confirmed by phone.",
                at: "2024-02-08T21:00:00+05:00")
            c.decide(
                intruder.publicKey.deviceID, accepted: false, reason: "The call was not from our stringer.",
                at: "2024-02-08T20:00:00+05:00")
        }
        add(
            "rejection-of-an-assigned-device",
            "an editor rejects reporter-2's report: the dispute it made ends, reporter-1's figures count"
        ) { c in
            c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            c.result(b, by: r2, at: "2024-02-08T19:40:00+05:00")
            c.decide(
                r2.publicKey.deviceID, accepted: false, reason: "Does not match the photo of the sheet.",
                at: "2024-02-08T21:00:00+05:00")
        }
        add("verified", "two agreeing reports, verified as they stand") { c in
            let first = c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            let second = c.result(a, by: r2, at: "2024-02-08T19:40:00+05:00")
            c.review(
                ReportReview(
                    station: Self.station, verifying: Self.na248, events: [second.id, first.id], editor: editor,
                    reason: "Checked against the photo."), at: "2024-02-08T21:00:00+05:00")
        }
        add(
            "verification-outdated",
            "a verification of reporter-1's report alone, then reporter-2 disagrees: disputed, and flagged"
        ) { c in
            let first = c.result(a, by: r1, at: "2024-02-08T19:30:00+05:00")
            c.review(
                ReportReview(
                    station: Self.station, verifying: Self.na248, events: [first.id], editor: editor,
                    reason: "Checked against the photo."), at: "2024-02-08T19:45:00+05:00")
            c.result(b, by: r2, at: "2024-02-08T19:40:00+05:00")
        }
        add(
            "assignment-releases",
            "intruder's Form-45 was held; once intruder is assigned to the station it counts, whenever it was made"
        ) { c in
            c.enroll(intruder, name: "Intruder (synthetic)")
            c.result(a, by: intruder, at: "2024-02-08T19:40:00+05:00")
            c.sign(
                .deviceAssigned(
                    StationAssignment(device: intruder.publicKey.deviceID, stations: [Self.station], constituencies: [])
                ),
                by: c.server, at: "2024-02-08T22:00:00+05:00")
        }
        return all
    }

    /// The base and a case's events, stored after it, a minute after their time, each linked into the
    /// global chain.
    func stored(_ events: [Event]) -> [StoredEvent] {
        var previous = base.last!.chain
        var position = base.last!.position
        return events.map { event in
            position += 1
            let item = StoredEvent(
                event: event, position: position, received: event.time.instant.adding(seconds: 60), previous: previous)
            previous = item.chain
            return item
        }
    }

    /// What the fold makes of the station, in the vector's shape.
    static func expectation(_ tally: ElectionTally) -> JSONValue {
        let station = tally.station(station)!
        var results = [String: JSONValue]()
        for result in station.results {
            results[result.constituency.rawValue] = [
                "status": .string(result.status.rawValue),
                "devices": .array(result.reports.map { .string($0.device.rawValue) }),
                "held": .integer(Int64(result.held)),
                "verification": result.verification.map { .string($0.description) } ?? .null,
            ]
        }
        let held = station.held.map { report -> JSONValue in
            [
                "device": .string(report.device.rawValue), "reason": .string(report.reason.rawValue),
                "review": report.review.map { .string($0.description) } ?? .null,
            ]
        }
        let flags = station.flags.filter { $0.code == .reportHeld || $0.code == .verificationOutdated }.map {
            JSONValue.string($0.code.rawValue)
        }
        return ["results": .object(results), "held": .array(held), "flags": .array(flags)]
    }

    var file: String {
        let cases = cases.map { name, about, events -> JSONValue in
            let lines = stored(events)
            let tally = ElectionTally(replaying: base + lines)
            return [
                "name": .string(name), "about": .string(about), "lines": .array(lines.map { .string($0.line) }),
                "expect": Self.expectation(tally),
            ]
        }
        return PrettyJSON.string([
            "note": .string(
                "Each case: the lines of export.ndjson up to its first observation (the base), then the case's "
                    + "lines; expect is station NA-248-017 as PROTOCOL.md §13 folds them: per seat the status, the "
                    + "devices whose reports count (device order), how many devices' reports are held and the "
                    + "verification that stands; the held devices (device order) with their reason and rejection; "
                    + "and the report-held and verification-outdated flags among the station's flags, in order."),
            "baseLines": .integer(Int64(base.count)),
            "cases": .array(cases),
        ])
    }
}
