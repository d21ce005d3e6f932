import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("City and district roll-ups")
struct RollUpTests {
    typealias L = TestLog

    static func day() -> TestLog {
        var log = L()
        // NA-248 led by C03 (PTI-backed independent); NA-247 by C01 (MQM-P); NA-229 by C01 (PPP).
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [100, 90, 300, 0], rejected: 10))
        log.record(L.deviceA, L.s3, at: "19:00", L.form45(L.na247, [400, 350], rejected: 4, registered: 900))
        log.record(L.deviceA, L.s4, at: "19:00", L.form45(L.na229, [500, 100], registered: 1200))
        log.record(L.deviceB, L.s4, at: "19:05", L.form45(L.na229, [500, 101], registered: 1200))
        log.record(L.deviceA, L.s1, at: "19:10", L.form45(L.ps125, [200, 100]))
        log.record(L.deviceA, L.s1, at: "17:05", L.closed("17:00"))
        log.record(L.deviceA, L.s2, at: "17:05", L.closed("17:00"))
        return log
    }

    @Test("the city: seats led per party both ways, stations, turnout, disputes, flags")
    func city() {
        let city = Self.day().tally.city
        #expect(city.district == nil)
        #expect(city.national.seats == 3)
        #expect(city.national.seatsWithLeader == 2)
        #expect(city.national.seatsLed.countingBackedIndependents == ["PTI": 1, "MQM-P": 1])
        #expect(city.national.seatsLed.backedIndependentsApart == ["(independent backed by PTI)": 1, "MQM-P": 1])
        #expect(city.national.seatsInDoubt == 1)
        #expect(city.national.stations.total == 4)
        #expect(city.national.stations.counted == 2)
        #expect(city.national.stations.disputed == 1)
        #expect(city.national.turnout.votesCast == 500 + 754)
        #expect(city.national.turnout.registeredVoters == 1900)
        #expect(city.national.rejected == 14)
        #expect(city.provincial[.ps]?.seats == 3)
        #expect(city.provincial[.ps]?.seatsLed.countingBackedIndependents == ["MQM-P": 1])
        // Station 1 closed with PS … reported, NA reported: no flag; station 2 closed with none.
        #expect(city.flags[.closedWithoutResult] == 1)
        #expect(city.flags[.disputedCouldChangeLeader] == 1)
    }

    @Test("districts: each one's seats only")
    func districts() {
        let tally = Self.day().tally
        #expect(tally.districtNames == ["Central", "Malir"])
        let central = tally.district("Central")!
        #expect(central.national.seats == 2)
        #expect(central.provincial[.ps]?.seats == 2)
        #expect(central.national.stations.total == 3)
        #expect(central.flags[.closedWithoutResult] == 1)
        let malir = tally.district("Malir")!
        #expect(malir.national.seats == 1)
        #expect(malir.national.stations.disputed == 1)
        #expect(malir.national.seatsWithLeader == 0)
    }

    @Test("a seat moved to another district leaves the first one")
    func redefinedDistrict() {
        var log = Self.day()
        log.define(.constituencyDefined(Constituency(code: L.na229, name: "Karachi Malir-I", district: "Central")))
        log.define(.constituencyDefined(Constituency(code: L.ps84, name: "Karachi Malir PS-1", district: "Central")))
        let tally = log.tally
        #expect(tally.districtNames == ["Central"])
        #expect(tally.district("Central")!.national.seats == 3)
    }

    @Test("a postponed seat is left out of the roll-ups, its stations not waiting for reports")
    func postponedSeat() throws {
        var log = Self.day()
        var election = KarachiDemo.election
        election.postponed = [L.na229]
        let before = log.tally
        log.define(.electionDefined(election))
        // Folded at once, and batch by batch with the definition coming last: the same roll-ups.
        let tally = log.tally
        var stepwise = ElectionTally(replaying: Array(log.stored.dropLast()))
        _ = stepwise.apply(log.stored.suffix(1))
        #expect(stepwise.city == tally.city)
        #expect(stepwise.district("Malir") == tally.district("Malir"))
        #expect(stepwise.constituency(L.na229) == tally.constituency(L.na229))

        #expect(tally.city.national.seats == before.city.national.seats - 1)
        #expect(tally.city.national.stations.total == 3)
        #expect(tally.city.national.stations.disputed == 0)
        #expect(tally.city.national.seatsInDoubt == 0)
        #expect(tally.city.provincial[.ps]?.seats == 3)
        #expect(tally.district("Malir")!.national.seats == 0)
        // Said, not just left out: the roll-ups list the seat, its own document says so and stays otherwise.
        #expect(before.city.postponed == [])
        #expect(tally.city.postponed == [L.na229])
        #expect(tally.district("Malir")!.postponed == [L.na229])
        #expect(tally.district("Central")!.postponed == [])
        let seat = try #require(tally.constituency(L.na229))
        #expect(seat.postponed && before.constituency(L.na229)?.postponed == false)
        #expect(seat.stations == before.constituency(L.na229)?.stations)
        #expect(seat.candidates == before.constituency(L.na229)?.candidates)
        let document = try JSONParser.parse(seat.canonicalBytes)
        #expect(document["postponed"] == .bool(true))
        #expect(try JSONParser.parse(tally.city.canonicalBytes)["postponed"] == ["NA-229"])

        // Postponed no more: the seat counts again, and its document says so.
        election.postponed = []
        log.define(.electionDefined(election))
        var again = ElectionTally(replaying: Array(log.stored.dropLast()))
        _ = again.apply(log.stored.suffix(1))
        #expect(again.constituency(L.na229)?.postponed == false)
        #expect(again.city == before.city)
    }

    @Test("the city names the election the log defines, as it stands; a district does not")
    func cityNamesTheElection() throws {
        let empty = TestLog(withReference: false).tally
        #expect(empty.city.election == nil)
        #expect(try JSONParser.parse(empty.city.canonicalBytes)["election"] == .null)

        var log = Self.day()
        let karachi = try JSONParser.parse(log.tally.city.canonicalBytes)["election"]
        #expect(
            karachi == [
                "id": "karachi-2024", "name": "Pakistan general election 2024, Karachi",
                "pollingOpens": "2024-02-08T08:00:00+05:00", "synthetic": false,
            ])
        #expect(try JSONParser.parse(log.tally.district("Malir")!.canonicalBytes)["election"] == .null)

        // Renamed, and nothing else: the city changes with it, at once and batch by batch.
        var election = KarachiDemo.election
        election.name = "Karachi by-elections 2024"
        election.synthetic = true
        log.define(.electionDefined(election))
        var stepwise = ElectionTally(replaying: Array(log.stored.dropLast()))
        let changes = stepwise.apply(log.stored.suffix(1))
        #expect(changes.city)
        #expect(stepwise.city == log.tally.city)
        #expect(stepwise.city.election?.name == "Karachi by-elections 2024")
        #expect(stepwise.city.election?.synthetic == true)

        // A definition alone, before any seat: the city names it.
        var bare = TestLog(withReference: false)
        bare.define(.electionDefined(KarachiDemo.election))
        var first = ElectionTally()
        #expect(first.apply(bare.stored).city)
        #expect(first.city.election?.id == "karachi-2024")
    }

    /// A Pakistan-like election: NA and PS seats in Karachi's districts, and an NA seat and a Punjab seat
    /// (PP) in Lahore.
    static func twoProvinces() -> TestLog {
        var log = Self.day()
        let na100 = ConstituencyCode("NA-100")!
        let pp150 = ConstituencyCode("PP-150")!
        var election = KarachiDemo.election
        election.assemblies[.pp] = "Provincial Assembly of the Punjab"
        log.define(.electionDefined(election))
        log.define(.constituencyDefined(Constituency(code: na100, name: "Lahore-I", district: "Lahore")))
        log.define(.constituencyDefined(Constituency(code: pp150, name: "Lahore PP-1", district: "Lahore")))
        let station = StationCode("NA-100-001")!
        log.define(.stationDefined(L.station(station, pp150, 2000)))
        log.define(.candidateDefined(Candidate(id: L.candidate(na100, 1), name: "M", affiliation: .party("PML-N"))))
        log.define(.candidateDefined(Candidate(id: L.candidate(na100, 2), name: "N", affiliation: .party("PTI"))))
        log.define(.candidateDefined(Candidate(id: L.candidate(pp150, 1), name: "O", affiliation: .party("PML-N"))))
        log.assign(L.deviceA, constituencies: [na100])
        log.record(L.deviceA, station, at: "19:00", L.form45(na100, [700, 600], registered: 2000))
        log.record(L.deviceA, station, at: "19:05", L.form45(pp150, [1200], registered: 2000))
        return log
    }

    @Test("each assembly is rolled up on its own: NA apart, and each provincial assembly apart from the others")
    func eachAssemblyApart() throws {
        let tally = Self.twoProvinces().tally
        let city = tally.city
        #expect(city.national.seats == 4)
        #expect(city.national.stations.total == 5)
        #expect(Set(city.provincial.keys) == [.pp, .ps])
        let sindh = try #require(city.provincial[.ps])
        let punjab = try #require(city.provincial[.pp])
        #expect(sindh.seats == 3)
        #expect(sindh.stations.total == 4)
        #expect(sindh.seatsLed.countingBackedIndependents == ["MQM-P": 1])
        #expect(punjab.seats == 1)
        #expect(punjab.stations.total == 1)
        #expect(punjab.seatsLed.countingBackedIndependents == ["PML-N": 1])
        #expect(punjab.turnout.votesCast == 1200)
        #expect(punjab.turnout.registeredVoters == 2000)
        // A district with NA and PS seats: its PS seats only, and no Punjab seat.
        let central = try #require(tally.district("Central"))
        #expect(central.national.seats == 2)
        #expect(Array(central.provincial.keys) == [.ps])
        #expect(central.provincial[.ps]?.seats == 2)
        let lahore = try #require(tally.district("Lahore"))
        #expect(lahore.national.seats == 1)
        #expect(Array(lahore.provincial.keys) == [.pp])
        #expect(lahore.national.seatsLed.countingBackedIndependents == ["PML-N": 1])
        // In the document: one roll-up per provincial assembly, keyed by its seats' prefix.
        let document = try JSONParser.parse(city.canonicalBytes)
        #expect(document["provincial"]?.objectValue.map { Set($0.keys) } == ["PP", "PS"])
        #expect(document["provincial"]?["PP"]?["seats"] == 1)
    }

    @Test(
        "the city's and districts' sums kept from batch to batch are those made from every seat, through redefinitions")
    func sumsKeptAreThoseMadeAgain() {
        var log = Self.twoProvinces()
        // Leads that change and come back, a candidate's party redefined, a seat postponed and polled
        // again, a Punjab seat reported: batches that take seats out of the sums and put them back.
        log.record(L.deviceA, L.s1, at: "10:05", L.turnout(120, asOf: "10:00"))
        log.record(L.deviceB, L.s4, at: "11:05", L.turnout(300, asOf: "11:00"))
        log.record(L.deviceB, L.s3, at: "19:20", L.form45(L.na247, [300, 450], registered: 900))
        log.define(.candidateDefined(Candidate(id: L.candidate(L.na247, 2), name: "H", affiliation: .party("PPP"))))
        log.record(L.deviceC, L.s2, at: "19:30", L.form45(L.na248, [50, 60, 10, 0]))
        log.record(L.deviceC, L.s3, at: "19:31", L.form45(L.na247, [300, 450], registered: 900))
        var election = KarachiDemo.election
        election.assemblies[.pp] = "Provincial Assembly of the Punjab"
        election.postponed = [L.na229]
        log.define(.electionDefined(election))
        log.record(L.deviceB, L.s4, at: "19:40", L.form45(L.na229, [500, 100], registered: 1200))
        log.record(L.deviceA, L.s2, at: "19:45", L.form45(L.ps125, [10, 20]))
        election.postponed = []
        log.define(.electionDefined(election))
        log.record(L.deviceC, L.s4, at: "19:50", L.form45(L.ps84, [300]))
        log.record(L.deviceA, L.s3, at: "17:05", L.closed("17:00"))
        log.record(L.deviceB, L.s1, at: "19:55", L.form45(L.na248, [100, 90, 10, 0], rejected: 10))
        // Devices, reviews and official results change seats' tallies only: the sums follow the seats.
        log.review(L.s2, L.deviceC, accepted: false)
        log.record(L.deviceC, L.s1, at: "19:56", L.form45(L.na248, [120, 80, 10, 0]))
        log.assign(L.deviceC, stations: [L.s1, L.s2, L.s3, L.s4])
        log.review(L.s2, L.deviceC, accepted: true)
        let events = log.stored
        for seed in UInt64(1)...12 {
            var random = SplitMix64(seed: seed)
            var tally = ElectionTally()
            var start = 0
            while start < events.count {
                let end = min(events.count, start + random.pick([1, 2, 3, 5]))
                tally.apply(Array(events[start..<end]))
                let made = ElectionTally(replaying: events[..<end])
                #expect(tally.districtNames == made.districtNames, "seed \(seed), up to \(end)")
                for (kept, fresh) in [(tally.city, made.city)]
                    + made.districtNames.map({ (tally.district($0), made.district($0)) })
                {
                    let keptText = kept.map { String(decoding: $0.canonicalBytes, as: UTF8.self) }
                    let freshText = fresh.map { String(decoding: $0.canonicalBytes, as: UTF8.self) }
                    #expect(keptText == freshText, "seed \(seed), up to \(end)")
                    guard keptText == freshText else { return }
                }
                start = end
            }
        }
    }
}
