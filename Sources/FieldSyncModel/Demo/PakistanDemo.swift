/// Reference data for Pakistan's whole 2024 general election, generated deterministically from a seed
/// and ``PakistanFacts``: 266 National Assembly seats, 593 seats of the four provincial assemblies,
/// 90,675 polling stations with 128,585,760 registered voters, and candidates.
///
/// Known facts are kept exactly: each area's seats and registered voters, 19,006 stations in Sindh,
/// 90,675 in all, NA-8 postponed. Karachi is the Karachi demo (``KarachiDemo``), seat for seat and
/// station for station. Everything else is invented and marked `synthetic: true`: the seats' names
/// and districts (outside Karachi a seat's district is its province), the stations of the other areas
/// (apportioned by registered voters), the split of voters and stations between seats, which
/// provincial seats lie inside which NA seat (contiguous runs, as evenly as possible), and every
/// candidate. Every station votes in exactly one NA seat and, except in Islamabad, one provincial
/// seat of its own province.
public struct PakistanDemo: ElectionDemo {
    public static let defaultSeed: UInt64 = 2024_02_08

    public static let referenceTime = KarachiDemo.referenceTime

    /// The election: all of Pakistan, 8 February 2024, on Karachi's calendar (polling 08:00–17:00 at
    /// +05:00 everywhere), electing the National Assembly and the four provincial assemblies, NA-8 postponed.
    public static let election = ElectionDefinition(
        id: "pakistan-2024", name: "Pakistan general election 2024", utcOffsetMinutes: 300,
        pollingOpens: KarachiDemo.election.pollingOpens, pollingCloses: KarachiDemo.election.pollingCloses,
        observationsFrom: KarachiDemo.election.observationsFrom,
        observationsUntil: KarachiDemo.election.observationsUntil,
        correctionsUntil: KarachiDemo.election.correctionsUntil,
        assemblies: PakistanFacts.areas.reduce(into: [.na: "National Assembly"]) { names, area in
            if let provincial = area.provincial { names[provincial.prefix] = provincial.assembly }
        },
        postponed: PakistanFacts.postponed)

    public var election: ElectionDefinition { Self.election }
    /// NA seats first, then PP, PS, PK and PB seats, each in number order.
    public let constituencies: [Constituency]
    /// In code order.
    public let stations: [PollingStation]
    /// In the order of their seats.
    public let candidates: [Candidate]
    /// The provincial seats lying inside each NA seat (none for Islamabad's).
    public let provincialSeats: [ConstituencyCode: [ConstituencyCode]]

    public init(seed: UInt64 = PakistanDemo.defaultSeed) {
        var random = SplitMix64(seed: seed)
        let karachi = KarachiDemo()
        let karachiSeats = Set(KarachiFacts.nationalSeats.map(\.number))
        let karachiProvincial = KarachiFacts.districts.first!.provincialSeats.lowerBound
        let areaStations = Self.splitStations()

        var national = [Constituency]()
        var provincial = [Constituency]()
        var stations = [PollingStation]()
        var candidatesOf = [ConstituencyCode: [Candidate]]()
        var provincialSeats = [ConstituencyCode: [ConstituencyCode]]()
        stations.reserveCapacity(PakistanFacts.pollingStations)

        for (area, stationCount) in zip(PakistanFacts.areas, areaStations) {
            // Sindh's seats outside Karachi are generated; Karachi's are the Karachi demo's.
            let seats = area.nationalSeats.filter { !karachiSeats.contains($0) }.map {
                ConstituencyCode(prefix: .na, number: $0)
            }
            let ownProvincial: [ConstituencyCode] =
                area.provincial.map { assembly in
                    assembly.seats.filter { assembly.prefix != .ps || $0 < karachiProvincial }.map {
                        ConstituencyCode(prefix: assembly.prefix, number: $0)
                    }
                } ?? []
            let inKarachi = seats.count < area.nationalSeats.count
            let voters = area.registeredVoters - (inKarachi ? KarachiFacts.registeredVoters : 0)
            let count = stationCount - (inKarachi ? KarachiFacts.pollingStations : 0)

            let seatVoters = Apportionment.split(voters, weights: seats.map { _ in random.next(in: 0.85..<1.15) })
            let seatStations = Apportionment.split(count, weights: seatVoters.map(Double.init), minimum: 1)
            let runs =
                ownProvincial.isEmpty
                ? seats.map { _ in 0 }
                : Apportionment.split(
                    ownProvincial.count, weights: seats.map { _ in 1 })
            var next = 0
            for (index, seat) in seats.enumerated() {
                let inside = Array(ownProvincial[next..<(next + runs[index])])
                next += runs[index]
                provincialSeats[seat] = inside
                national.append(
                    Constituency(
                        code: seat, name: "\(area.name) \(seat) (synthetic)", district: area.name, synthetic: true))
                for code in inside {
                    provincial.append(
                        Constituency(
                            code: code, name: "\(area.name) \(code) (synthetic)", district: area.name, synthetic: true))
                }
                stations += KarachiDemo.makeStations(
                    seat: seat, count: seatStations[index], voters: seatVoters[index], provincial: inside,
                    random: &random)
            }
            if inKarachi {
                national += karachi.constituencies.filter { $0.assembly == .national }
                provincial += karachi.constituencies.filter { $0.assembly == .provincial }
                stations += karachi.stations
                for (seat, inside) in karachi.provincialSeats { provincialSeats[seat] = inside }
                for candidate in karachi.candidates {
                    candidatesOf[candidate.constituency, default: []].append(candidate)
                }
            }
        }

        let constituencies = national.sorted { $0.code < $1.code } + provincial.sorted { $0.code < $1.code }
        let areaOf = Dictionary(uniqueKeysWithValues: constituencies.map { ($0.code, $0.district) })
        var candidates = [Candidate]()
        for seat in constituencies {
            if let known = candidatesOf[seat.code] {
                candidates += known
                continue
            }
            let count = seat.assembly == .national ? random.next(in: 7...16) : random.next(in: 6...12)
            candidates += Self.makeCandidates(
                in: seat.code, area: areaOf[seat.code] ?? "", count: count, random: &random)
        }

        self.constituencies = constituencies
        self.stations = stations.sorted { $0.code < $1.code }
        self.candidates = candidates
        self.provincialSeats = provincialSeats
    }

    /// Stations per area (``PakistanFacts/areas`` order): Sindh's 19,006, the rest of the 90,675 in
    /// proportion to registered voters.
    static func splitStations() -> [Int] {
        let areas = PakistanFacts.areas
        let sindh = areas.firstIndex { $0.name == "Sindh" }!
        let others = areas.indices.filter { $0 != sindh }
        let parts = Apportionment.split(
            PakistanFacts.pollingStations - PakistanFacts.sindhPollingStations,
            weights: others.map { Double(areas[$0].registeredVoters) })
        var stations = [Int](repeating: 0, count: areas.count)
        stations[sindh] = PakistanFacts.sindhPollingStations
        for (index, part) in zip(others, parts) { stations[index] = part }
        return stations
    }

    /// The parties most seats of an area see, made up for the demo from the parties that stood there.
    static let areaParties: [String: [String]] = [
        "Khyber Pakhtunkhwa": ["JUI-F", "ANP", "PML-N", "PPP", "JI", "PTI-P"],
        "Islamabad": ["PML-N", "PPP", "JI", "TLP"],
        "Punjab": ["PML-N", "PPP", "TLP", "JI", "IPP", "PML-Q"],
        "Sindh": ["PPP", "MQM-P", "GDA", "JUI-F", "JI", "TLP"],
        "Balochistan": ["JUI-F", "BAP", "PPP", "PML-N", "BNP", "NP"],
    ]

    /// `count` candidates: the area's big parties (some of them in every seat), a PTI-backed independent
    /// in every seat, and independents for the rest.
    static func makeCandidates(
        in seat: ConstituencyCode, area: String, count: Int, random: inout SplitMix64
    ) -> [Candidate] {
        let parties = areaParties[area] ?? []
        var affiliations: [Affiliation] = [.independent(backedBy: "PTI")]
        for (rank, party) in parties.enumerated() where rank < 2 || random.chance(0.6) {
            affiliations.append(.party(party))
        }
        while affiliations.count < count { affiliations.append(.independent(backedBy: nil)) }
        affiliations = random.shuffled(affiliations)
        return affiliations.enumerated().map { offset, affiliation in
            Candidate(
                id: CandidateID(constituency: seat, number: offset + 1), name: SyntheticNames.person(random: &random),
                affiliation: affiliation, synthetic: true)
        }
    }
}
