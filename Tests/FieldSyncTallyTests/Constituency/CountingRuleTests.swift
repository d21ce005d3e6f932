import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Counting rule")
struct CountingRuleTests {
    typealias L = TestLog

    /// NA-248: station 1 confirmed, station 2 disputed.
    static func confirmedAndDisputed() -> TestLog {
        var log = L()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 10], rejected: 20))
        log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.na248, [300, 200, 100, 10], rejected: 20))
        log.record(L.deviceA, L.s2, at: "19:20", L.form45(L.na248, [100, 150, 250, 0], rejected: 5, registered: 800))
        log.record(L.deviceC, L.s2, at: "19:30", L.form45(L.na248, [100, 170, 240, 0], rejected: 9, registered: 800))
        return log
    }

    @Test("reported and confirmed stations count; disputed ones are shown apart with their range")
    func countingRule() {
        let tally = Self.confirmedAndDisputed().tally.constituency(L.na248)!
        #expect(tally.stations.total == 2)
        #expect(tally.stations.confirmed == 1)
        #expect(tally.stations.disputed == 1)
        #expect(tally.stations.counted == 1)
        #expect(tally.stations.unreported == 0)
        let votes = Dictionary(uniqueKeysWithValues: tally.candidates.map { ($0.id, $0.votes) })
        #expect(votes[L.candidate(L.na248, 1)] == 300)
        #expect(votes[L.candidate(L.na248, 3)] == 100)
        #expect(tally.validVotes == 610)
        #expect(tally.rejected == 20)
        #expect(tally.totalCast == 630)
        let c2 = tally.candidates.first { $0.id == L.candidate(L.na248, 2) }!
        #expect(c2.disputedMinimum == 150)
        #expect(c2.disputedMaximum == 170)
        #expect(tally.disputed.stations == [L.s2])
        #expect(tally.disputed.rejectedMinimum == 5)
        #expect(tally.disputed.rejectedMaximum == 9)
        #expect(tally.disputed.totalCastMinimum == 505)
        #expect(tally.disputed.totalCastMaximum == 519)
    }

    @Test("candidates in order of counted votes, ties by id; leader, runner-up and margin")
    func lead() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [200, 300, 300, 10]))
        let tally = log.tally.constituency(L.na248)!
        #expect(tally.candidates.map(\.id.number) == [2, 3, 1, 4])
        #expect(tally.lead?.leader == L.candidate(L.na248, 2))
        #expect(tally.lead?.runnerUp == L.candidate(L.na248, 3))
        #expect(tally.lead?.margin == 0)
        #expect(L().tally.constituency(L.na248)!.lead == nil)
    }

    @Test("votes per party, backed independents with their backer and apart from it")
    func parties() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 10]))
        let parties = log.tally.constituency(L.na248)!.votesByParty
        #expect(parties.countingBackedIndependents == ["MQM-P": 300, "PPP": 200, "PTI": 100, "(independent)": 10])
        #expect(
            parties.backedIndependentsApart == [
                "MQM-P": 300, "PPP": 200, "(independent backed by PTI)": 100, "(independent)": 10,
            ])
    }

    @Test("turnout in basis points over the counted stations' registered voters, rounded half up")
    func turnout() {
        var log = L()
        // 4,823 ÷ 10,000 would need a bigger station; 1,000 voters: 483 cast is 4,830 bp.
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 100, 80, 0], rejected: 3))
        var tally = log.tally.constituency(L.na248)!
        #expect(tally.turnout.votesCast == 483)
        #expect(tally.turnout.registeredVoters == 1000)
        #expect(tally.turnout.basisPoints == 4830)
        // Station 2 (800 voters): 1 cast. 484 ÷ 1,800 = 0.268888… → 2,689 bp.
        log.record(L.deviceA, L.s2, at: "19:10", L.form45(L.na248, [1, 0, 0, 0], registered: 800))
        tally = log.tally.constituency(L.na248)!
        #expect(tally.turnout.basisPoints == 2689)
        #expect(Turnout.basisPoints(1, of: 20_000) == 1)  // 0.5 bp rounds up
        #expect(Turnout.basisPoints(1, of: 20_001) == 0)
        #expect(Turnout.basisPoints(5, of: 0) == nil)
    }

    @Test("live turnout: each station's latest count over those stations' registered voters")
    func liveTurnout() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        log.record(L.deviceA, L.s1, at: "12:05", L.turnout(300, asOf: "12:00"))
        log.record(L.deviceB, L.s2, at: "12:05", L.turnout(200, asOf: "12:00"))
        let live = log.tally.constituency(L.na248)!.liveTurnout
        #expect(live.stations == 2)
        #expect(live.votesCast == 500)
        #expect(live.registeredVoters == 1800)
        #expect(live.basisPoints == 2778)
        #expect(log.tally.constituency(L.ps125)!.liveTurnout.votesCast == 500)
    }

    @Test("a station's two seats are tallied apart")
    func twoSeats() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 10]))
        log.record(L.deviceA, L.s1, at: "19:05", L.form45(L.ps125, [400, 205]))
        let tally = log.tally
        #expect(tally.constituency(L.na248)!.totalCast == 610)
        #expect(tally.constituency(L.ps125)!.totalCast == 605)
        #expect(tally.constituency(L.ps125)!.lead?.leader == L.candidate(L.ps125, 1))
        #expect(tally.constituency(L.na247)!.stations.counted == 0)
    }
}
