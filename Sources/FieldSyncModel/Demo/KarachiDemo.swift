/// Reference data for Karachi's 2024 general election, generated deterministically from a seed:
/// the 22 NA and 47 PS seats, 5,342 polling stations and their registered voters, and candidates.
///
/// Known facts (``KarachiFacts``) are kept exactly: district voter totals, NA-235's 96 stations and
/// 170,176 voters, NA-248's 599,811 voters, 5,342 stations, 581 NA candidates. Everything else is
/// invented and marked `synthetic: true`: the split of voters and stations between seats, the
/// stations themselves, the candidates, the Sindh Assembly seats' names and their assignment to NA
/// seats (each PS seat lies inside one NA seat of its district; each station votes in one NA and
/// one PS seat of that district), and the Keamari/West split of PS-111…PS-121.
public struct KarachiDemo: ElectionDemo {
    public static let defaultSeed: UInt64 = 2024_02_08

    /// The time written on the reference events: a fortnight before polling day.
    public static let referenceTime = ObservedTime("2024-01-25T09:00:00+05:00")!

    /// The election: Karachi, 8 February 2024, polling 08:00–17:00 at +05:00. Observations from 06:00
    /// that day (two hours of setting up) until 12:00 on 9 February (counting and results through the
    /// night); corrections until the end of 15 February.
    public static let election = ElectionDefinition(
        id: "karachi-2024", name: "Pakistan general election 2024, Karachi", utcOffsetMinutes: 300,
        pollingOpens: ObservedTime("2024-02-08T08:00:00+05:00")!,
        pollingCloses: ObservedTime("2024-02-08T17:00:00+05:00")!,
        observationsFrom: ObservedTime("2024-02-08T06:00:00+05:00")!,
        observationsUntil: ObservedTime("2024-02-09T12:00:00+05:00")!,
        correctionsUntil: ObservedTime("2024-02-16T00:00:00+05:00")!,
        assemblies: [.na: "National Assembly", .ps: "Provincial Assembly of Sindh"])

    public var election: ElectionDefinition { Self.election }

    /// NA seats first, then PS seats, each in number order.
    public let constituencies: [Constituency]
    /// In code order.
    public let stations: [PollingStation]
    /// NA candidates first, then PS candidates, in id order.
    public let candidates: [Candidate]
    /// The PS seats lying inside each NA seat.
    public let provincialSeats: [ConstituencyCode: [ConstituencyCode]]

    public init(seed: UInt64 = KarachiDemo.defaultSeed) {
        var random = SplitMix64(seed: seed)
        let seats = KarachiFacts.nationalSeats
        let provincial = Self.assignProvincialSeats()
        let seatVoters = Self.splitVoters(random: &random)
        let seatStations = Self.splitStations(voters: seatVoters)

        var constituencies = seats.map { seat in
            Constituency(code: seat.code, name: seat.name, district: seat.district, synthetic: false)
        }
        for district in KarachiFacts.districts {
            for (offset, number) in district.provincialSeats.enumerated() {
                constituencies.append(
                    Constituency(
                        code: ConstituencyCode(prefix: .ps, number: number),
                        name: "Karachi \(district.name) PS-\(offset + 1) (synthetic)", district: district.name,
                        synthetic: true))
            }
        }

        var stations = [PollingStation]()
        stations.reserveCapacity(KarachiFacts.pollingStations)
        for (index, seat) in seats.enumerated() {
            stations += Self.makeStations(
                seat: seat.code, count: seatStations[index], voters: seatVoters[index],
                provincial: provincial[seat.code]!, random: &random)
        }

        var candidates = [Candidate]()
        let nationalCounts = Apportionment.split(
            KarachiFacts.nationalCandidates, weights: seats.map { _ in random.next(in: 0.6..<1.4) }, minimum: 12)
        for (index, seat) in seats.enumerated() {
            candidates += Self.makeCandidates(in: seat.code, count: nationalCounts[index], random: &random)
        }
        for seat in constituencies where seat.assembly == .provincial {
            candidates += Self.makeCandidates(in: seat.code, count: random.next(in: 7...14), random: &random)
        }

        self.constituencies = constituencies
        self.stations = stations
        self.candidates = candidates
        self.provincialSeats = provincial
    }

    /// A whole reference log signed by the server: its identity, then ``referenceDrafts(time:)``,
    /// as the server's device chain from seq 1. Event ids come from `seed`, so the log is the same
    /// on every run for the same key.
    public func serverEvents(key: SigningKey, name: String, seed: UInt64 = KarachiDemo.defaultSeed) -> [Event] {
        var random = SplitMix64(seed: seed ^ 0x5eed_1d5)
        var chain = DeviceChain(device: .server)
        let identity = EventDraft(
            payload: .serverIdentified(ServerIdentity(publicKey: key.publicKey, name: name)),
            time: Self.referenceTime)
        return ([identity] + referenceDrafts()).map { draft in
            let id = EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
            return try! chain.sign(draft, id: id, key: key)
        }
    }

    // MARK: Seats

    /// Each district's PS seats in contiguous runs over its NA seats, as evenly as possible, the
    /// extra seats going to the NA seats with the most voters known or expected (the last ones,
    /// and NA-248 in Central).
    static func assignProvincialSeats() -> [ConstituencyCode: [ConstituencyCode]] {
        var result = [ConstituencyCode: [ConstituencyCode]]()
        for district in KarachiFacts.districts {
            let seats = KarachiFacts.nationalSeats.filter { $0.district == district.name }
            let numbers = Array(district.provincialSeats)
            var sizes = [Int](repeating: numbers.count / seats.count, count: seats.count)
            var extra = numbers.count % seats.count
            var preferred = Array(seats.indices.reversed())
            if let na248 = seats.firstIndex(where: { $0.number == 248 }) {
                preferred.removeAll { $0 == na248 }
                preferred.insert(na248, at: 0)
            }
            for index in preferred where extra > 0 {
                sizes[index] += 1
                extra -= 1
            }
            var next = 0
            for (index, seat) in seats.enumerated() {
                result[seat.code] = numbers[next..<(next + sizes[index])].map {
                    ConstituencyCode(prefix: .ps, number: $0)
                }
                next += sizes[index]
            }
        }
        return result
    }

    /// Registered voters per NA seat (in ``KarachiFacts/nationalSeats`` order), adding up to each
    /// district's total, with NA-235 and NA-248 as known.
    static func splitVoters(random: inout SplitMix64) -> [Int] {
        var voters = [Int](repeating: 0, count: KarachiFacts.nationalSeats.count)
        let known = [235: KarachiFacts.na235.voters, 248: KarachiFacts.na248Voters]
        for district in KarachiFacts.districts {
            let indices = KarachiFacts.nationalSeats.indices.filter {
                KarachiFacts.nationalSeats[$0].district == district.name
            }
            var free = [Int]()
            var remaining = district.registeredVoters
            for index in indices {
                if let fixed = known[KarachiFacts.nationalSeats[index].number] {
                    voters[index] = fixed
                    remaining -= fixed
                } else {
                    free.append(index)
                }
            }
            let parts = Apportionment.split(remaining, weights: free.map { _ in random.next(in: 0.85..<1.15) })
            for (index, part) in zip(free, parts) { voters[index] = part }
        }
        return voters
    }

    /// Stations per NA seat: NA-235's 96, the rest of the 5,342 in proportion to voters.
    static func splitStations(voters: [Int]) -> [Int] {
        let seats = KarachiFacts.nationalSeats
        let fixedIndex = seats.firstIndex { $0.number == 235 }!
        let others = seats.indices.filter { $0 != fixedIndex }
        let parts = Apportionment.split(
            KarachiFacts.pollingStations - KarachiFacts.na235.stations, weights: others.map { Double(voters[$0]) })
        var stations = [Int](repeating: 0, count: seats.count)
        stations[fixedIndex] = KarachiFacts.na235.stations
        for (index, part) in zip(others, parts) { stations[index] = part }
        return stations
    }

    // MARK: Stations

    static func makeStations(
        seat: ConstituencyCode, count: Int, voters: Int, provincial: [ConstituencyCode], random: inout SplitMix64
    ) -> [PollingStation] {
        let totals = Apportionment.split(
            voters, weights: (0..<count).map { _ in random.next(in: 0.7..<1.3) }, minimum: 300)
        // No provincial seat where there is no provincial assembly (Islamabad).
        let perProvincial = provincial.isEmpty ? [] : Apportionment.split(count, weights: provincial.map { _ in 1 })
        var provincialOfStation = [ConstituencyCode]()
        for (code, stations) in zip(provincial, perProvincial) {
            provincialOfStation += [ConstituencyCode](repeating: code, count: stations)
        }
        var stations = [PollingStation]()
        var building = ""
        var booth = 0
        for index in 0..<count {
            if index == 0 || random.chance(0.52) {
                building = SyntheticNames.building(random: &random)
                booth = 0
            }
            booth += 1
            let total = totals[index]
            let other = random.chance(0.02) ? 1 : 0
            let male = Int((Double(total - other) * random.next(in: 0.50..<0.58)).rounded())
            let female = total - other - male
            stations.append(
                PollingStation(
                    code: StationCode(national: seat, number: index + 1),
                    name: "\(building), booth \(booth) (synthetic)",
                    provincial: provincial.isEmpty ? nil : provincialOfStation[index],
                    voters: RegisteredVoters(male: male, female: female, total: total), synthetic: true))
        }
        return stations
    }

    // MARK: Candidates

    /// `count` candidates: the big parties in every seat, the smaller ones in some, a PTI-backed
    /// independent in every seat, sometimes one backed by MQM-London, and independents for the rest.
    static func makeCandidates(in seat: ConstituencyCode, count: Int, random: inout SplitMix64) -> [Candidate] {
        var affiliations: [Affiliation] = [
            .party("MQM-P"), .party("PPP"), .party("JI"), .party("TLP"), .independent(backedBy: "PTI"),
        ]
        if random.chance(0.5) { affiliations.append(.party("PML-N")) }
        if random.chance(0.4) { affiliations.append(.party("MQM-H")) }
        if random.chance(0.3) { affiliations.append(.party("ANP")) }
        if random.chance(0.2) { affiliations.append(.independent(backedBy: "MQM-L")) }
        while affiliations.count < count { affiliations.append(.independent(backedBy: nil)) }
        affiliations = random.shuffled(Array(affiliations.prefix(max(count, 5))))
        return affiliations.enumerated().map { offset, affiliation in
            Candidate(
                id: CandidateID(constituency: seat, number: offset + 1), name: SyntheticNames.person(random: &random),
                affiliation: affiliation, synthetic: true)
        }
    }
}
