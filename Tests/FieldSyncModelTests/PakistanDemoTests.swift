import Testing

@testable import FieldSyncModel

/// The national demo: every seat of every assembly, 90,675 stations, the known totals kept exactly.
@Suite struct PakistanDemoTests {
    static let demo = PakistanDemo()

    @Test func everySeatOfEveryAssembly() {
        let seats = Self.demo.constituencies
        let national = seats.filter { $0.assembly == .national }
        #expect(national.map(\.code.number) == Array(1...266))
        #expect(seats.filter { $0.assembly == .provincial }.count == 593)
        let byPrefix = Dictionary(grouping: seats, by: \.code.prefix).mapValues { $0.map(\.code.number) }
        #expect(byPrefix[.pp] == Array(1...297))
        #expect(byPrefix[.ps] == Array(1...130))
        #expect(byPrefix[.pk] == Array(1...115))
        #expect(byPrefix[.pb] == Array(1...51))
        #expect(seats.map(\.code) == seats.map(\.code).sorted())
        #expect(Set(Self.demo.election.assemblies.keys) == Set(SeatPrefix.allCases))
        #expect(Self.demo.election.postponed == [ConstituencyCode("NA-8")!])
        // Karachi's seats are the Karachi demo's; every other seat is invented and says so.
        let karachi = Set(KarachiDemo().constituencies)
        #expect(seats.filter { karachi.contains($0) }.count == 69)
        #expect(seats.filter { !karachi.contains($0) }.allSatisfy { $0.synthetic && $0.name.hasSuffix("(synthetic)") })
    }

    @Test func stationsAndVotersAddUp() {
        let stations = Self.demo.stations
        #expect(stations.count == 90_675)
        #expect(Set(stations.map(\.code)).count == 90_675)
        #expect(stations.map(\.code) == stations.map(\.code).sorted())
        #expect(stations.map(\.voters.total).reduce(0, +) == 128_585_760)
        #expect(stations.allSatisfy { $0.synthetic && $0.name.hasSuffix("(synthetic)") })
        #expect(stations.allSatisfy { $0.voters.total >= $0.voters.male + $0.voters.female })
        for area in PakistanFacts.areas {
            let inArea = stations.filter { area.nationalSeats.contains($0.national.number) }
            #expect(inArea.map(\.voters.total).reduce(0, +) == area.registeredVoters, "\(area.name)")
            if area.name == "Sindh" { #expect(inArea.count == 19_006) }
        }
        let karachi = KarachiDemo().stations
        #expect(stations.filter { (229...250).contains($0.national.number) } == karachi)
        // Every NA seat has stations, NA-8's too (it votes later).
        #expect(Set(stations.map(\.national)).count == 266)
    }

    @Test func everyStationVotesInOneNationalSeatAndAtMostOneProvincialSeatOfItsProvince() {
        let seats = Dictionary(uniqueKeysWithValues: Self.demo.constituencies.map { ($0.code, $0) })
        var provincialPolled = Set<ConstituencyCode>()
        for area in PakistanFacts.areas {
            for station in Self.demo.stations where area.nationalSeats.contains(station.national.number) {
                #expect(station.code.national == station.national && seats[station.national] != nil)
                guard let provincial = station.provincial else {
                    #expect(area.provincial == nil, "\(station.code) has no provincial seat")
                    continue
                }
                #expect(provincial.prefix == area.provincial?.prefix, "\(station.code) votes in \(provincial)")
                #expect(seats[provincial]?.district == seats[station.national]?.district, "\(station.code)")
                provincialPolled.insert(provincial)
            }
        }
        // Each provincial seat has stations, and lies inside the NA seats that list it.
        #expect(provincialPolled.count == 593)
        #expect(Self.demo.provincialSeats.values.reduce(0) { $0 + $1.count } == 593)
        #expect(
            Self.demo.stations.filter { (46...48).contains($0.national.number) }.allSatisfy { $0.provincial == nil })
    }

    @Test func candidatesStandInEverySeat() {
        let candidates = Self.demo.candidates
        let seatsWithCandidates = Set(candidates.map(\.constituency))
        #expect(seatsWithCandidates == Set(Self.demo.constituencies.map(\.code)))
        #expect(Set(candidates.map(\.id)).count == candidates.count)
        #expect(candidates.allSatisfy { $0.synthetic && $0.name.hasSuffix("(synthetic)") })
    }

    @Test func theSameSeedGivesTheSameElection() {
        let again = PakistanDemo()
        #expect(again.constituencies == Self.demo.constituencies)
        #expect(again.stations == Self.demo.stations)
        #expect(again.candidates == Self.demo.candidates)
        #expect(again.referenceDrafts() == Self.demo.referenceDrafts())
        #expect(PakistanDemo(seed: 7).stations != Self.demo.stations)
        // About a hundred thousand reference events: the election, 859 seats, 90,675 stations, candidates.
        #expect(Self.demo.referenceDrafts().count == 1 + 859 + 90_675 + Self.demo.candidates.count)
    }

    @Test func theReferenceEventsPassTheServersChecks() {
        // Each event checked against the reference data defined before it, as the server checks them.
        var reference = ReferenceData()
        var refused = [String]()
        for draft in Self.demo.referenceDrafts() {
            let payload = try! Payload.decode(type: draft.type, data: draft.data)
            let errors = EventValidator(reference: reference).validate(reference: payload)
            if !errors.isEmpty && refused.count < 5 { refused.append("\(draft.subject): \(errors.summary)") }
            reference.apply(payload)
        }
        #expect(refused == [])
    }
}
