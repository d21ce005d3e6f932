import FieldSyncModel
import FieldSyncTally

/// A small world for hand-written cases: two Central seats and one Malir seat (NA and PS), four
/// stations, a few candidates, and a log that events are appended to, numbered from position 1.
struct TestLog {
    static let na248 = ConstituencyCode("NA-248")!
    static let ps125 = ConstituencyCode("PS-125")!
    static let na247 = ConstituencyCode("NA-247")!
    static let ps122 = ConstituencyCode("PS-122")!
    static let na229 = ConstituencyCode("NA-229")!
    static let ps84 = ConstituencyCode("PS-84")!
    /// NA-248 / PS-125, 1,000 voters.
    static let s1 = StationCode("NA-248-001")!
    /// NA-248 / PS-125, 800 voters.
    static let s2 = StationCode("NA-248-002")!
    /// NA-247 / PS-122, 900 voters.
    static let s3 = StationCode("NA-247-001")!
    /// NA-229 / PS-84, 1,200 voters.
    static let s4 = StationCode("NA-229-001")!

    static let deviceA = DeviceID("a0000000000000000001")!
    static let deviceB = DeviceID("b0000000000000000002")!
    static let deviceC = DeviceID("c0000000000000000003")!
    /// Not assigned anywhere until a test assigns it.
    static let deviceD = DeviceID("d0000000000000000004")!
    /// The editor who reviews.
    static let editor = DeviceID("e0000000000000000005")!

    static func candidate(_ seat: ConstituencyCode, _ number: Int) -> CandidateID {
        CandidateID(constituency: seat, number: number)
    }

    static let constituencies = [
        Constituency(code: na248, name: "Karachi Central-II", district: "Central"),
        Constituency(code: ps125, name: "Karachi Central PS-4 (synthetic)", district: "Central", synthetic: true),
        Constituency(code: na247, name: "Karachi Central-I", district: "Central"),
        Constituency(code: ps122, name: "Karachi Central PS-1 (synthetic)", district: "Central", synthetic: true),
        Constituency(code: na229, name: "Karachi Malir-I", district: "Malir"),
        Constituency(code: ps84, name: "Karachi Malir PS-1 (synthetic)", district: "Malir", synthetic: true),
    ]

    static let stations = [
        station(s1, ps125, 1000), station(s2, ps125, 800), station(s3, ps122, 900), station(s4, ps84, 1200),
    ]

    static func station(_ code: StationCode, _ provincial: ConstituencyCode, _ voters: Int) -> PollingStation {
        PollingStation(
            code: code, name: "School \(code) (synthetic)", provincial: provincial,
            voters: RegisteredVoters(male: voters / 2, female: voters / 2, total: voters), synthetic: true)
    }

    static let candidates: [Candidate] = [
        Candidate(id: candidate(na248, 1), name: "A (synthetic)", affiliation: .party("MQM-P")),
        Candidate(id: candidate(na248, 2), name: "B (synthetic)", affiliation: .party("PPP")),
        Candidate(id: candidate(na248, 3), name: "C (synthetic)", affiliation: .independent(backedBy: "PTI")),
        Candidate(id: candidate(na248, 4), name: "D (synthetic)", affiliation: .independent(backedBy: nil)),
        Candidate(id: candidate(ps125, 1), name: "E (synthetic)", affiliation: .party("MQM-P")),
        Candidate(id: candidate(ps125, 2), name: "F (synthetic)", affiliation: .party("JI")),
        Candidate(id: candidate(na247, 1), name: "G (synthetic)", affiliation: .party("MQM-P")),
        Candidate(id: candidate(na247, 2), name: "H (synthetic)", affiliation: .independent(backedBy: "PTI")),
        Candidate(id: candidate(ps122, 1), name: "I (synthetic)", affiliation: .party("PPP")),
        Candidate(id: candidate(na229, 1), name: "J (synthetic)", affiliation: .party("PPP")),
        Candidate(id: candidate(na229, 2), name: "K (synthetic)", affiliation: .party("MQM-P")),
        Candidate(id: candidate(ps84, 1), name: "L (synthetic)", affiliation: .party("PPP")),
    ]

    static var referencePayloads: [Payload] {
        [.electionDefined(KarachiDemo.election)] + constituencies.map { .constituencyDefined($0) }
            + stations.map { .stationDefined($0) } + candidates.map { .candidateDefined($0) } + assignments
    }

    /// Devices A, B and C are assigned to every NA seat of this world, so they count at every station.
    static var assignments: [Payload] {
        [deviceA, deviceB, deviceC].map { device in
            .deviceAssigned(StationAssignment(device: device, stations: [], constituencies: [na248, na247, na229]))
        }
    }

    private(set) var stored = [StoredEvent]()
    private var chains = [DeviceID: UnsignedChain]()
    private var random = SplitMix64(seed: 7)

    /// A log with the reference data already in it, unless `withReference` is false.
    init(withReference: Bool = true) {
        if withReference {
            for payload in Self.referencePayloads { define(payload) }
        }
    }

    var nextPosition: Int64 { Int64(stored.count + 1) }

    /// Appends a reference event of the server, made at `time` (a fortnight before polling day unless
    /// given, as "HH:MM" on polling day or a full RFC 3339 time).
    @discardableResult
    mutating func define(_ payload: Payload, at time: String = "2024-01-25T09:00:00+05:00") -> Event {
        append(.server, EventDraft(payload: payload, time: Self.time(time)))
    }

    /// Assigns `device` to stations and seats, as the server would.
    @discardableResult
    mutating func assign(
        _ device: DeviceID, stations: [StationCode] = [], constituencies: [ConstituencyCode] = [],
        at time: String = "2024-01-25T09:00:00+05:00"
    ) -> Event {
        define(
            .deviceAssigned(StationAssignment(device: device, stations: stations, constituencies: constituencies)),
            at: time)
    }

    /// An editor's decision about `device`'s observations at `station`.
    @discardableResult
    mutating func review(_ station: StationCode, _ device: DeviceID, accepted: Bool) -> Event {
        define(
            .reportReviewed(
                ReportReview(station: station, device: device, accepted: accepted, editor: Self.editor, reason: "why")))
    }

    /// An editor's verification of the `seat` result at `station`, as the `events` make it.
    @discardableResult
    mutating func verify(_ station: StationCode, _ seat: ConstituencyCode, _ events: [EventID]) -> Event {
        define(
            .reportReviewed(
                ReportReview(station: station, verifying: seat, events: events, editor: Self.editor, reason: "sheet")))
    }

    /// Appends an observation of `device` about `station`, observed at `time` (local, "HH:MM" on
    /// polling day, or a full RFC 3339 time).
    @discardableResult
    mutating func record(
        _ device: DeviceID, _ station: StationCode, at time: String, _ payload: Payload, id: EventID? = nil
    ) -> Event {
        append(device, EventDraft(payload: payload, subject: station.rawValue, time: Self.time(time)), id: id)
    }

    /// Appends a correction of `target` by `device`.
    @discardableResult
    mutating func correct(
        _ device: DeviceID, _ station: StationCode, at time: String, _ target: EventID,
        with replacement: Payload? = nil
    ) -> Event {
        let change: Correction.Change = replacement.map { .replacement($0) } ?? .retraction
        return record(
            device, station, at: time, .reportCorrected(Correction(corrects: target, reason: "fix", change: change)))
    }

    private mutating func append(_ device: DeviceID, _ draft: EventDraft, id: EventID? = nil) -> Event {
        var chain = chains[device] ?? UnsignedChain(device: device)
        let id = id ?? EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
        let event = try! chain.append(draft, id: id)
        chains[device] = chain
        stored.append(StoredEvent(event: event, position: nextPosition, received: event.time.instant, chain: .zero))
        return event
    }

    /// "HH:MM" on polling day at +05:00, or a full RFC 3339 time as given.
    static func time(_ text: String) -> ObservedTime {
        if text.count == 5 { return ObservedTime("2024-02-08T\(text):00+05:00")! }
        return ObservedTime(text)!
    }

    /// The tally of the whole log.
    var tally: ElectionTally { ElectionTally(replaying: stored) }

    // MARK: Payloads

    /// A Form-45 for `seat` with the given votes for candidates 1, 2, … and `rejected`; the total
    /// adds up unless `totalCast` is given.
    static func form45(
        _ seat: ConstituencyCode, _ votes: [Int], rejected: Int = 0, registered: Int = 1000, totalCast: Int? = nil
    ) -> Payload {
        var byCandidate = [CandidateID: Int]()
        for (offset, count) in votes.enumerated() { byCandidate[candidate(seat, offset + 1)] = count }
        return .resultReported(
            Form45Result(
                constituency: seat, registeredVoters: registered, votes: byCandidate, rejected: rejected,
                totalCast: totalCast ?? votes.reduce(rejected, +)))
    }

    static func turnout(_ votes: Int, asOf: String) -> Payload {
        .turnoutCounted(TurnoutCount(asOf: time(asOf), votesCast: votes))
    }

    static func opened(_ at: String, materials: Bool = true, staff: Bool = true) -> Payload {
        .stationOpened(StationOpened(openedAt: time(at), materialsComplete: materials, staffPresent: staff))
    }

    static func closed(_ at: String, queue: Int? = nil) -> Payload {
        .stationClosed(StationClosed(closedAt: time(at), votersInQueue: queue))
    }

    static func incident(_ kind: IncidentKind, severity: Severity = .medium) -> Payload {
        .incidentObserved(Incident(kind: kind, severity: severity, description: "seen (synthetic)"))
    }

    static func agents(_ agents: [String: AgentPresence]) -> Payload {
        .agentsObserved(PollingAgents(agents: agents))
    }
}
