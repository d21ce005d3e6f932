import FieldSyncModel

/// A generated polling day, deterministic for a seed: the server's reference events and, for every
/// station, one to three reporters' devices that record the opening, the agents, a series of
/// turnout counts, incidents, the closing and both Form-45s, with the trouble a real day brings —
/// copying mistakes that make stations disputed, corrections and retractions, corrections that
/// cannot apply, counts that go down, Form-45s refused, late reports.
///
/// Everything is synthetic. Events are built with ``UnsignedChain`` (no signatures): for tests,
/// demos of the fold and benchmarks.
public struct ElectionDay: Sendable {
    /// How the day goes.
    public struct Options: Sendable {
        public var seed: UInt64 = 2024_02_08
        public var devicesPerStation: ClosedRange<Int> = 1...3
        /// Turnout counts each device records through the day.
        public var turnoutCounts = 4
        /// The chance a device copies one figure of a Form-45 wrong.
        public var copyingMistakes = 0.12
        /// The chance a copying mistake is corrected later.
        public var mistakesCorrected = 0.5
        /// The chance a device retracts one of its turnout counts or incidents.
        public var retractions = 0.05
        /// The chance a device sends a correction that cannot apply (naming another device's event,
        /// or no event).
        public var strayCorrections = 0.03
        public var incidents = 0.2
        /// The chance a presiding officer refuses a device the Form-45 (it then reports none).
        public var refusals = 0.05
        /// The chance a turnout count is recorded late, after counts of later times.
        public var lateReports = 0.1
        /// The chance a count is copied too low, so the turnout goes down.
        public var lowCounts = 0.03
        /// The chance a device reports no Form-45 for a seat.
        public var missingResults = 0.05
        /// The chance a device is not assigned to its station: its observations are held for review.
        public var unassignedDevices = 0.0
        /// The chance an editor reviews a station: accepts or rejects one device's observations, or
        /// verifies one device's first Form-45.
        public var reviews = 0.0
        /// The chance the commission publishes a Form-45 for a device's first result: the same figures, or
        /// (half the time) a few votes off; a quarter of them published twice, the second import superseding
        /// the first. And the chance it publishes a seat's Form-47 (then, half the time, its Form-49):
        /// ``ElectionDay/officialSeatResults(devices:stations:standing:options:election:server:)``.
        public var officialResults = 0.0

        public init() {}
    }

    /// The server's chain: the election, constituencies, stations, candidates, then each device's assignment to its
    /// station.
    public private(set) var reference: [Event]
    /// Each device's chain, in sequence order.
    public let devices: [[Event]]

    /// All events: reference first, then each device's.
    public var eventCount: Int { reference.count + devices.reduce(0) { $0 + $1.count } }

    /// A day of `election` over the given reference data.
    public init(
        election: ElectionDefinition, constituencies: [Constituency], stations: [PollingStation],
        candidates: [Candidate], options: Options = Options()
    ) {
        var random = SplitMix64(seed: options.seed)
        var server = UnsignedChain(device: .server)
        let referenceTime = Self.referenceTime(election)
        // The election's id from a generator of its own: the rest of the day is drawn as it was before
        // simulated logs defined their election.
        var electionRandom = SplitMix64(seed: options.seed ^ 0xE1EC_7105)
        reference = [
            try! server.append(
                EventDraft(payload: .electionDefined(election), time: referenceTime), id: Self.eventID(&electionRandom))
        ]
        let payloads =
            constituencies.map { Payload.constituencyDefined($0) } + stations.map { .stationDefined($0) }
            + candidates.map { .candidateDefined($0) }
        reference += payloads.map { payload in
            try! server.append(EventDraft(payload: payload, time: referenceTime), id: Self.eventID(&random))
        }
        var standing = [ConstituencyCode: [Candidate]]()
        for candidate in candidates { standing[candidate.constituency, default: []].append(candidate) }
        var strength = [CandidateID: Double]()
        for candidate in candidates { strength[candidate.id] = Self.strength(candidate) * random.next(in: 0.5..<1.5) }

        var devices = [[Event]]()
        for station in stations {
            var day = StationDay(
                station: station, election: election, standing: standing, strength: strength, options: options,
                random: &random)
            devices += day.devices(random: &random)
        }
        self.devices = devices
        reference += Self.decisions(
            devices: devices, options: options, time: referenceTime, server: &server)
        reference += Self.officialResults(devices: devices, options: options, election: election, server: &server)
        reference += Self.officialSeatResults(
            devices: devices, stations: stations, standing: standing, options: options, election: election,
            server: &server)
    }

    /// The time written on the reference events: a fortnight before polling opens.
    static func referenceTime(_ election: ElectionDefinition) -> ObservedTime {
        ObservedTime(
            election.pollingOpens.instant.adding(minutes: -14 * 24 * 60), offsetMinutes: election.utcOffsetMinutes)
    }

    /// The commission's Form-45s (``Options/officialResults``), drawn from a generator of their own.
    private static func officialResults(
        devices: [[Event]], options: Options, election: ElectionDefinition, server: inout UnsignedChain
    ) -> [Event] {
        guard options.officialResults > 0 else { return [] }
        var random = SplitMix64(seed: options.seed ^ 0x0FF1_C1A1)
        // Two days after the polls close, in the election's own time.
        let time = ObservedTime(
            election.pollingCloses.instant.adding(minutes: 2 * 24 * 60), offsetMinutes: election.utcOffsetMinutes)
        var published = [Event]()
        for chain in devices where random.chance(options.officialResults) {
            guard let event = chain.first(where: { $0.type == .resultReported }), let station = event.station,
                case .resultReported(let form) = event.payload
            else { continue }
            var votes = form.votes
            if random.chance(0.5), let candidate = votes.keys.min() {
                votes[candidate, default: 0] += 1 + random.next(below: 20)
            }
            let copies = random.chance(0.25) ? 2 : 1
            for copy in 0..<copies {
                if copy == 1, let candidate = votes.keys.max() { votes[candidate, default: 0] += 1 }
                let official = OfficialResult(
                    form: .form45, constituency: form.constituency, station: station, votes: votes,
                    rejected: form.rejected, totalCast: votes.values.reduce(form.rejected, +), sourceURL: nil,
                    fileSha256: SHA256Digest.hash("official file \(copy) (synthetic)"), editor: editor)
                published.append(
                    try! server.append(
                        EventDraft(payload: .officialPublished(official), time: time), id: eventID(&random)))
            }
        }
        return published
    }

    /// The editor who makes the day's reviews.
    public static let editor = DeviceID("e0000000000000000000")!

    /// Each device's assignment to its station (but for the ``Options/unassignedDevices``), then the
    /// editors' reviews (``Options/reviews``). Drawn from a generator of their own: the rest of the day
    /// is the same whatever these options say.
    private static func decisions(
        devices: [[Event]], options: Options, time: ObservedTime, server: inout UnsignedChain
    ) -> [Event] {
        var random = SplitMix64(seed: options.seed ^ 0xA551_6A3E_D000)
        var decisions = [Event]()
        func append(_ payload: Payload) {
            decisions.append(try! server.append(EventDraft(payload: payload, time: time), id: eventID(&random)))
        }
        var devicesAt = [StationCode: [[Event]]]()
        for chain in devices {
            guard let station = chain.first?.station else { continue }
            devicesAt[station, default: []].append(chain)
            if random.chance(options.unassignedDevices) { continue }
            append(
                .deviceAssigned(StationAssignment(device: chain[0].device, stations: [station], constituencies: [])))
        }
        for station in devicesAt.keys.sorted() where random.chance(options.reviews) {
            let chains = devicesAt[station]!
            let chain = random.pick(chains)
            switch random.next(below: 3) {
            case 0:
                append(
                    .reportReviewed(
                        ReportReview(
                            station: station, device: chain[0].device, accepted: true, editor: editor,
                            reason: "Confirmed by phone (synthetic)")))
            case 1:
                append(
                    .reportReviewed(
                        ReportReview(
                            station: station, device: chain[0].device, accepted: false, editor: editor,
                            reason: "Figures do not match the sheet (synthetic)")))
            default:
                // Every device's first Form-45 for one seat: verified while those are the seat's counted
                // reports as they stand; outdated otherwise (a dispute, a correction, a held device).
                guard let result = chain.first(where: { $0.type == .resultReported }),
                    case .resultReported(let form) = result.payload
                else { continue }
                let reports = chains.compactMap { chain in
                    chain.first { event in
                        guard case .resultReported(let other) = event.payload else { return false }
                        return other.constituency == form.constituency
                    }?.id
                }
                append(
                    .reportReviewed(
                        ReportReview(
                            station: station, verifying: form.constituency, events: reports, editor: editor,
                            reason: "Checked against the photo (synthetic)")))
            }
        }
        return decisions
    }

    /// A day over Karachi's demo reference data, for the given NA seats (all 22 by default) and the
    /// PS seats lying inside them.
    public init(
        demo: KarachiDemo = KarachiDemo(), nationalSeats: Set<ConstituencyCode>? = nil, options: Options = Options()
    ) {
        let seats = nationalSeats ?? Set(demo.constituencies.filter { $0.assembly == .national }.map(\.code))
        let provincial = Set(seats.flatMap { demo.provincialSeats[$0] ?? [] })
        let included = seats.union(provincial)
        self.init(
            election: KarachiDemo.election, constituencies: demo.constituencies.filter { included.contains($0.code) },
            stations: demo.stations.filter { seats.contains($0.national) },
            candidates: demo.candidates.filter { included.contains($0.constituency) }, options: options)
    }

    /// Every event in a uniformly random interleaving that keeps each device's events (and the
    /// server's) in order, numbered from position 1. The global chain is not computed.
    public func interleaved(seed: UInt64) -> [StoredEvent] {
        var random = SplitMix64(seed: seed)
        let chains = [reference] + devices
        var picks = [Int]()
        picks.reserveCapacity(eventCount)
        for (index, chain) in chains.enumerated() { picks += repeatElement(index, count: chain.count) }
        picks = random.shuffled(picks)
        var next = [Int](repeating: 0, count: chains.count)
        var stored = [StoredEvent]()
        stored.reserveCapacity(picks.count)
        for chain in picks {
            stored.append(Self.store(chains[chain][next[chain]], at: stored.count + 1))
            next[chain] += 1
        }
        return stored
    }

    /// Every event in the order a server would receive them: reference data first, then each
    /// device's events in bursts, each burst arriving some time after its last event was recorded
    /// (the network was down most of the day), bursts in order of arrival.
    public func syncOrder(seed: UInt64) -> [StoredEvent] {
        var random = SplitMix64(seed: seed)
        var bursts = [(arrival: Timestamp, device: Int, events: ArraySlice<Event>)]()
        for (index, chain) in devices.enumerated() {
            var start = 0
            var previousArrival = Timestamp(microseconds: .min)
            while start < chain.count {
                let length = min(chain.count - start, random.next(in: 1...max(1, chain.count / 3)))
                let last = chain[start + length - 1].time.instant
                let delay = Int64(random.next(in: 0...(3 * 3600)))
                // A device's bursts arrive in its own order: a later burst never overtakes an earlier one.
                let arrival = max(last.adding(seconds: delay), previousArrival)
                bursts.append((arrival, index, chain[start..<(start + length)]))
                previousArrival = arrival
                start += length
            }
        }
        bursts.sort {
            if $0.arrival != $1.arrival { return $0.arrival < $1.arrival }
            if $0.device != $1.device { return $0.device < $1.device }
            return $0.events.startIndex < $1.events.startIndex
        }
        var stored = [StoredEvent]()
        stored.reserveCapacity(eventCount)
        for event in reference { stored.append(Self.store(event, at: stored.count + 1)) }
        for burst in bursts {
            for event in burst.events { stored.append(Self.store(event, at: stored.count + 1)) }
        }
        return stored
    }

    static func store(_ event: Event, at position: Int) -> StoredEvent {
        StoredEvent(event: event, position: Int64(position), received: event.time.instant, chain: .zero)
    }

    /// A version 4 UUID from the generator.
    static func eventID(_ random: inout SplitMix64) -> EventID {
        EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
    }

    /// A party's pull in Karachi, made up for the demo.
    static func strength(_ candidate: Candidate) -> Double {
        switch candidate.party {
        case "MQM-P": 30
        case "PTI": 24
        case "PPP": 20
        case "JI": 14
        case "TLP": 5
        case "PML-N": 3
        case "MQM-H", "MQM-L": 2
        case "ANP": 1
        default: 0.5
        }
    }
}
