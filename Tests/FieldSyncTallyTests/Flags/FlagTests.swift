import FieldSyncModel
import Testing

@testable import FieldSyncTally

@Suite("Flags")
struct FlagTests {
    typealias L = TestLog

    static func flags(_ log: TestLog, _ station: StationCode, _ code: FlagCode) -> [TallyFlag] {
        log.tally.station(station)!.flags.filter { $0.code == code }
    }

    static func flags(_ log: TestLog, _ seat: ConstituencyCode, _ code: FlagCode) -> [TallyFlag] {
        log.tally.constituency(seat)!.flags.filter { $0.code == code }
    }

    @Test("form45-totals-mismatch: candidates' votes + rejected ≠ total cast")
    func totalsMismatch() {
        // The catalogue refuses such a Form-45 in an event, so the rule is checked on the report.
        let derivation = StationDerivation(
            code: L.s1, facts: StationFacts(), station: L.stations[0], calendar: KarachiDemo.election.calendar,
            coverage: [:])
        let id = EventID(high: 1, low: 1)
        func flags(total: Int) -> [TallyFlag] {
            let report = Form45Report(
                device: L.deviceA, event: id, time: L.time("19:00"),
                figures: Form45Figures(votes: [L.candidate(L.na248, 1): 100], rejected: 5, totalCast: total),
                registeredVoters: 1000, correction: nil)
            var flags = [TallyFlag]()
            derivation.flagTotals(report, constituency: L.na248, into: &flags)
            return flags
        }
        #expect(flags(total: 105).isEmpty)
        let mismatch = flags(total: 110)
        #expect(mismatch.map(\.code) == [.form45TotalsMismatch])
        #expect(mismatch.first?.events == [id])
        #expect(mismatch.first?.message.contains("100 + rejected 5 is not the total cast 110") == true)
    }

    @Test("form45-above-registered: total cast above the station's registered voters")
    func aboveRegistered() {
        var log = L()
        let report = log.record(
            L.deviceA, L.s2, at: "19:00", L.form45(L.na248, [500, 300, 50, 0], registered: 1000))
        let flags = Self.flags(log, L.s2, .form45AboveRegistered)
        #expect(flags.count == 1)
        #expect(flags.first?.events == [report.id])
        #expect(flags.first?.scope == .station(L.s2))
        var fine = L()
        fine.record(L.deviceA, L.s2, at: "19:00", L.form45(L.na248, [500, 250, 50, 0], registered: 800))
        #expect(Self.flags(fine, L.s2, .form45AboveRegistered).isEmpty)
    }

    @Test("form45-not-of-station: a Form-45 for a seat the station does not vote in")
    func notOfStation() {
        var log = L()
        let report = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na247, [10, 10]))
        #expect(Self.flags(log, L.s1, .form45NotOfStation).first?.events == [report.id])
        #expect(log.tally.constituency(L.na247)!.totalCast == 0)
    }

    @Test("turnout-over-100: a count above the registered voters")
    func turnoutOver100() {
        var log = L()
        log.record(L.deviceA, L.s2, at: "16:05", L.turnout(800, asOf: "16:00"))
        #expect(Self.flags(log, L.s2, .turnoutOver100).isEmpty)
        let over = log.record(L.deviceA, L.s2, at: "16:35", L.turnout(801, asOf: "16:30"))
        #expect(Self.flags(log, L.s2, .turnoutOver100).map(\.events) == [[over.id]])
    }

    @Test("turnout-decreased: a count lower than one of an earlier time, whatever the devices")
    func turnoutDecreased() {
        var log = L()
        let high = log.record(L.deviceA, L.s1, at: "12:05", L.turnout(300, asOf: "12:00"))
        // Same time, lower: a disagreement, not a decrease.
        log.record(L.deviceB, L.s1, at: "12:06", L.turnout(290, asOf: "12:00"))
        #expect(Self.flags(log, L.s1, .turnoutDecreased).isEmpty)
        let low = log.record(L.deviceB, L.s1, at: "13:05", L.turnout(299, asOf: "13:00"))
        let flags = Self.flags(log, L.s1, .turnoutDecreased)
        #expect(flags.map(\.events) == [[low.id, high.id]])
        // Sent late but counted earlier: the noon count is what is lower than... nothing earlier.
        var late = L()
        late.record(L.deviceA, L.s1, at: "14:05", L.turnout(400, asOf: "14:00"))
        late.record(L.deviceA, L.s1, at: "14:30", L.turnout(250, asOf: "12:00"))
        #expect(Self.flags(late, L.s1, .turnoutDecreased).isEmpty)
    }

    @Test("closed-without-result: closed while a seat has no Form-45")
    func closedWithoutResult() {
        var log = L()
        #expect(Self.flags(log, L.s1, .closedWithoutResult).isEmpty)
        let closed = log.record(L.deviceA, L.s1, at: "17:05", L.closed("17:00"))
        #expect(Self.flags(log, L.s1, .closedWithoutResult).first?.events == [closed.id])
        #expect(Self.flags(log, L.s1, .closedWithoutResult).first?.message.contains("NA-248 and PS-125") == true)
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [1, 1, 1, 1]))
        #expect(Self.flags(log, L.s1, .closedWithoutResult).first?.message.hasSuffix("for PS-125") == true)
        log.record(L.deviceA, L.s1, at: "19:05", L.form45(L.ps125, [1, 1]))
        #expect(Self.flags(log, L.s1, .closedWithoutResult).isEmpty)
    }

    @Test("form45-refused: an incident of that kind")
    func refused() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "18:00", L.incident(.violence))
        #expect(Self.flags(log, L.s1, .form45Refused).isEmpty)
        let refusal = log.record(L.deviceA, L.s1, at: "18:30", L.incident(.form45Refused, severity: .high))
        #expect(Self.flags(log, L.s1, .form45Refused).map(\.events) == [[refusal.id]])
    }

    @Test("correction-not-applied: see the corrections suite; here, a retracted refusal is no longer flagged")
    func retractedRefusal() {
        var log = L()
        let refusal = log.record(L.deviceA, L.s1, at: "18:30", L.incident(.form45Refused))
        log.correct(L.deviceA, L.s1, at: "18:40", refusal.id)
        #expect(Self.flags(log, L.s1, .form45Refused).isEmpty)
        #expect(Self.flags(log, L.s1, .correctionNotApplied).isEmpty)
        log.correct(L.deviceB, L.s1, at: "18:50", refusal.id)
        #expect(Self.flags(log, L.s1, .correctionNotApplied).count == 1)
    }

    @Test("rejected-at-or-above-margin, with the counted reports that rejected ballots")
    func rejectedAtMargin() {
        var log = L()
        let first = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 290, 0, 0], rejected: 9))
        #expect(Self.flags(log, L.na248, .rejectedAtOrAboveMargin).isEmpty)
        let second = log.record(
            L.deviceA, L.s2, at: "19:00", L.form45(L.na248, [0, 0, 0, 0], rejected: 1, registered: 800))
        let flags = Self.flags(log, L.na248, .rejectedAtOrAboveMargin)
        #expect(flags.count == 1)
        #expect(flags.first?.events == [first.id, second.id].sorted())
        #expect(flags.first?.scope == .constituency(L.na248))
        #expect(
            flags.first?.message
                == "10 rejected ballots are at or above the margin of 10 between NA-248-C01 and NA-248-C02")
    }

    @Test("disputed-could-change-leader: the challenger's highest against the leader's lowest")
    func disputedCouldChangeLeader() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 250, 0, 0]))
        log.record(L.deviceA, L.s2, at: "19:00", L.form45(L.na248, [100, 140, 0, 0], registered: 800))
        let b = log.record(L.deviceB, L.s2, at: "19:05", L.form45(L.na248, [100, 150, 0, 0], registered: 800))
        // Counted: C01 300, C02 250. Disputed C02 up to 150, C01 at least 100: 400 vs 400, level.
        let flags = Self.flags(log, L.na248, .disputedCouldChangeLeader)
        #expect(flags.count == 1)
        #expect(flags.first?.events.contains(b.id) == true)
        #expect(flags.first?.events.count == 2)
        var safe = L()
        safe.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 250, 0, 0]))
        safe.record(L.deviceA, L.s2, at: "19:00", L.form45(L.na248, [100, 140, 0, 0], registered: 800))
        safe.record(L.deviceB, L.s2, at: "19:05", L.form45(L.na248, [101, 140, 0, 0], registered: 800))
        #expect(Self.flags(safe, L.na248, .disputedCouldChangeLeader).isEmpty)
    }

    @Test("disputed-could-change-leader when no station counts yet")
    func disputedWithoutCount() {
        var log = L()
        log.record(L.deviceA, L.s2, at: "19:00", L.form45(L.na248, [100, 140, 0, 0], registered: 800))
        log.record(L.deviceB, L.s2, at: "19:05", L.form45(L.na248, [100, 150, 0, 0], registered: 800))
        let flags = Self.flags(log, L.na248, .disputedCouldChangeLeader)
        #expect(flags.first?.message == "no station counts yet; the leader rests on 1 disputed station")
    }

    @Test("every flag code has a stable name and one scope")
    func codes() {
        #expect(FlagCode.allCases.count == 16)
        #expect(
            FlagCode.allCases.filter { $0.scope == .constituency } == [
                .rejectedAtOrAboveMargin, .disputedCouldChangeLeader, .fieldChangesWinner, .officialExceedsStations,
            ])
        #expect(FlagCode(rawValue: "turnout-over-100") == .turnoutOver100)
    }
}
