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
        #expect(city.provincial.seats == 3)
        #expect(city.provincial.seatsLed.countingBackedIndependents == ["MQM-P": 1])
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
        #expect(central.provincial.seats == 2)
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
    func postponedSeat() {
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

        #expect(tally.city.national.seats == before.city.national.seats - 1)
        #expect(tally.city.national.stations.total == 3)
        #expect(tally.city.national.stations.disputed == 0)
        #expect(tally.city.national.seatsInDoubt == 0)
        #expect(tally.city.provincial.seats == 3)
        #expect(tally.district("Malir")!.national.seats == 0)
        // The seat's own document stays.
        #expect(tally.constituency(L.na229) == before.constituency(L.na229))
    }
}
