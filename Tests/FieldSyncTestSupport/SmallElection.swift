import FieldSyncModel

/// A small signed election for tests: the server's identity and the reference data of a few Karachi
/// seats (from the deterministic demo data), and reporters who record turnout and Form-45 results,
/// some agreeing, some not, some correcting themselves.
public struct SmallElection: Sendable {
    public let serverKey: SigningKey
    public let demo: KarachiDemo
    /// The national seats whose stations and candidates are defined.
    public let seats: [ConstituencyCode]
    /// The server's signed reference events, its chain from seq 1.
    public let reference: [Event]
    public private(set) var serverChain: DeviceChain

    public init(seats: [String] = ["NA-235"], seed: UInt64 = 7) {
        let serverKey = try! SigningKey(rawRepresentation: Array(repeating: UInt8(truncatingIfNeeded: seed), count: 32))
        let demo = KarachiDemo()
        let seats = seats.map { ConstituencyCode($0)! }
        let stations = demo.stations.filter { seats.contains($0.national) }
        let provincial = Set(stations.map(\.provincial))
        let wanted = Set(seats).union(provincial)
        var chain = DeviceChain(device: .server)
        let time = KarachiDemo.referenceTime
        var drafts = [
            EventDraft(
                payload: .serverIdentified(ServerIdentity(publicKey: serverKey.publicKey, name: "test server")),
                subject: "server", time: time),
            EventDraft(payload: .electionDefined(KarachiDemo.election), time: time),
        ]
        drafts += demo.constituencies.filter { wanted.contains($0.code) }.map {
            EventDraft(payload: .constituencyDefined($0), time: time)
        }
        drafts += stations.map { EventDraft(payload: .stationDefined($0), time: time) }
        drafts += demo.candidates.filter { wanted.contains($0.constituency) }.map {
            EventDraft(payload: .candidateDefined($0), time: time)
        }
        var reference: [Event] = []
        var random = SplitMix64(seed: seed)
        for draft in drafts {
            let id = EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
            reference.append(try! chain.sign(draft, id: id, key: serverKey))
        }
        self.serverKey = serverKey
        self.demo = demo
        self.seats = seats
        self.reference = reference
        self.serverChain = chain
    }

    /// The stations of the seats, in code order.
    public var stations: [PollingStation] {
        demo.stations.filter { seats.contains($0.national) }.sorted { $0.code < $1.code }
    }

    /// The candidates standing in a seat, in id order.
    public func candidates(in seat: ConstituencyCode) -> [Candidate] {
        demo.candidates.filter { $0.constituency == seat }.sorted { $0.id < $1.id }
    }

    /// Signs the enrollment of a reporter's key and its assignment to every seat of the election, as the
    /// server does.
    public mutating func enroll(_ key: SigningKey, name: String) -> [Event] {
        let time = ObservedTime("2024-02-07T18:00:00+05:00")!
        let enrollment = DeviceEnrollment(publicKey: key.publicKey, reporter: name, role: .reporter)
        let assignment = StationAssignment(device: key.publicKey.deviceID, stations: [], constituencies: seats.sorted())
        return [
            try! serverChain.sign(EventDraft(payload: .deviceEnrolled(enrollment), time: time), key: serverKey),
            try! serverChain.sign(EventDraft(payload: .deviceAssigned(assignment), time: time), key: serverKey),
        ]
    }

    /// A Form-45 for a station's national seat with the given total, spread over its candidates.
    public func form45(for station: PollingStation, totalCast: Int, rejected: Int = 10, skew: Int = 0) -> Form45Result {
        let candidates = candidates(in: station.national)
        let valid = totalCast - rejected
        var votes: [CandidateID: Int] = [:]
        var remaining = valid
        for (index, candidate) in candidates.enumerated() {
            let share = index == candidates.count - 1 ? remaining : valid / (index + 2)
            let count = max(0, min(remaining, share + (index == 0 ? skew : index == 1 ? -skew : 0)))
            votes[candidate.id] = count
            remaining -= count
        }
        return Form45Result(
            constituency: station.national, registeredVoters: station.voters.total, votes: votes, rejected: rejected,
            totalCast: totalCast)
    }
}

/// A reporter's device: its key and chain, signing observations in order.
public struct TestReporter: Sendable {
    public let key: SigningKey
    public private(set) var chain: DeviceChain

    public init(seed: UInt8) {
        key = try! SigningKey(rawRepresentation: Array(repeating: seed, count: 31) + [0xfe])
        chain = DeviceChain(device: key.publicKey.deviceID)
    }

    public var device: DeviceID { key.publicKey.deviceID }

    /// Signs the next observation about `station`.
    public mutating func record(_ payload: Payload, at station: StationCode, time: String) -> Event {
        try! chain.sign(EventDraft(payload: payload, subject: station.rawValue, time: ObservedTime(time)!), key: key)
    }
}
