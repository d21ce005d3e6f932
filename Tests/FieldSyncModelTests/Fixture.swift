@testable import FieldSyncModel

/// A small world for tests: a server, two seats of Central and one of Malir, one station, a few
/// candidates, and devices in each state.
enum Fixture {
    static func key(_ seed: UInt8) -> SigningKey {
        try! SigningKey(rawRepresentation: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) * 31 + Int(seed)) })
    }

    static let serverKey = key(1)
    static let reporterKey = key(2)
    static let editorKey = key(3)
    static let revokedKey = key(4)
    static let otherReporterKey = key(5)
    static let strangerKey = key(6)

    static let referenceTime = ObservedTime("2024-01-25T09:00:00+05:00")!
    static let na248 = ConstituencyCode("NA-248")!
    static let ps125 = ConstituencyCode("PS-125")!
    static let na247 = ConstituencyCode("NA-247")!
    static let ps84 = ConstituencyCode("PS-84")!
    static let station = StationCode("NA-248-017")!

    static let referencePayloads: [Payload] = [
        .serverIdentified(ServerIdentity(publicKey: serverKey.publicKey, name: "FieldSync test")),
        .electionDefined(KarachiDemo.election),
        .constituencyDefined(Constituency(code: na248, name: "Karachi Central-II", district: "Central")),
        .constituencyDefined(Constituency(code: na247, name: "Karachi Central-I", district: "Central")),
        .constituencyDefined(
            Constituency(code: ps125, name: "Karachi Central PS-4", district: "Central", synthetic: true)),
        .constituencyDefined(Constituency(code: ps84, name: "Karachi Malir PS-1", district: "Malir", synthetic: true)),
        .stationDefined(
            PollingStation(
                code: station, name: "Govt. Boys Primary School No. 3, booth 1 (synthetic)", provincial: ps125,
                voters: RegisteredVoters(male: 700, female: 580, total: 1281), synthetic: true)),
        .candidateDefined(
            Candidate(id: CandidateID("NA-248-C01")!, name: "A (synthetic)", affiliation: .party("MQM-P"))),
        .candidateDefined(Candidate(id: CandidateID("NA-248-C02")!, name: "B (synthetic)", affiliation: .party("PPP"))),
        .candidateDefined(
            Candidate(id: CandidateID("NA-248-C03")!, name: "C (synthetic)", affiliation: .independent(backedBy: "PTI"))
        ),
        .candidateDefined(Candidate(id: CandidateID("PS-125-C01")!, name: "D (synthetic)", affiliation: .party("JI"))),
        .candidateDefined(Candidate(id: CandidateID("NA-247-C01")!, name: "E (synthetic)", affiliation: .party("TLP"))),
        .deviceEnrolled(
            DeviceEnrollment(publicKey: reporterKey.publicKey, reporter: "Sana (synthetic)", role: .reporter)),
        .deviceEnrolled(
            DeviceEnrollment(publicKey: otherReporterKey.publicKey, reporter: "Ali (synthetic)", role: .reporter)),
        .deviceEnrolled(DeviceEnrollment(publicKey: editorKey.publicKey, reporter: "Hina (synthetic)", role: .editor)),
        .deviceEnrolled(
            DeviceEnrollment(publicKey: revokedKey.publicKey, reporter: "Omar (synthetic)", role: .reporter)),
        .deviceRevoked(DeviceRevocation(device: revokedKey.publicKey.deviceID, reason: "laptop stolen")),
    ]

    /// The reference log, signed by the server.
    static let referenceEvents: [Event] = {
        var chain = DeviceChain(device: .server)
        var random = SplitMix64(seed: 99)
        return referencePayloads.map { payload in
            try! chain.sign(
                EventDraft(payload: payload, time: referenceTime), id: EventID(high: random.next(), low: random.next()),
                key: serverKey)
        }
    }()

    static let reference = ReferenceData(events: referenceEvents)
    static let validator = EventValidator(reference: reference)

    static func time(_ text: String) -> ObservedTime { ObservedTime(text)! }

    /// A complete Form-45 for NA-248 at the station: 100 + 50 + 30 votes, 5 rejected.
    static let result = Form45Result(
        constituency: na248, registeredVoters: 1281,
        votes: [CandidateID("NA-248-C01")!: 100, CandidateID("NA-248-C02")!: 50, CandidateID("NA-248-C03")!: 30],
        rejected: 5, totalCast: 185)

    /// Signs `payload` as the reporter's event number `seq` (the chain is not followed).
    static func observation(
        _ payload: Payload, at time: String = "2024-02-08T11:00:00+05:00", subject: String = "NA-248-017",
        key: SigningKey = reporterKey, seq: Int64 = 1
    ) -> Event {
        var random = SplitMix64(seed: UInt64(seq) &* 7 &+ UInt64(payload.type.rawValue.utf8.count))
        return try! Event.sign(
            EventDraft(payload: payload, subject: subject, time: ObservedTime(time)!),
            id: EventID(high: random.next(), low: random.next()), seq: seq,
            prevHash: seq == 1 ? .zero : SHA256Digest.hash([UInt8(seq)]), key: key)
    }

    /// The submitted JSON of an observation, for tests that break it.
    static func observationObject(
        _ payload: Payload, at time: String = "2024-02-08T11:00:00+05:00"
    )
        -> [String: JSONValue]
    {
        observation(payload, at: time).jsonObject
    }

    /// The problems found when reading `object` as a submitted event; empty if it reads.
    static func decodeErrors(_ object: [String: JSONValue]) -> [FieldError] {
        do {
            _ = try Event(json: .object(object))
            return []
        } catch {
            return error.errors
        }
    }
}

extension [FieldError] {
    /// "field code" of each error, for compact expectations.
    var summary: [String] { map { "\($0.field) \($0.code)" } }
}
