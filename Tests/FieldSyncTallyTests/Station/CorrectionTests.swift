import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Corrections")
struct CorrectionTests {
    typealias L = TestLog

    @Test("a replacement takes the corrected event's place")
    func replacement() {
        var log = L()
        let wrong = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 210, 100, 0]))
        log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.na248, [300, 200, 100, 0]))
        #expect(log.tally.station(L.s1)!.result(for: L.na248)!.status == .disputed)
        let fix = log.correct(L.deviceA, L.s1, at: "22:00", wrong.id, with: L.form45(L.na248, [300, 200, 100, 0]))
        let tally = log.tally.station(L.s1)!
        let result = tally.result(for: L.na248)!
        #expect(result.status == .confirmed)
        let report = result.reports.first { $0.device == L.deviceA }!
        #expect(report.event == wrong.id)
        #expect(report.time == wrong.time)
        #expect(report.events == [wrong.id, fix.id])
        #expect(tally.corrections.map(\.outcome) == [.applied])
    }

    @Test("the replacement keeps the place: a later report of the same device still wins")
    func replacementKeepsPlace() {
        var log = L()
        let first = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [1, 1, 1, 1]))
        log.record(L.deviceA, L.s1, at: "20:00", L.form45(L.na248, [300, 200, 100, 0]))
        log.correct(L.deviceA, L.s1, at: "23:00", first.id, with: L.form45(L.na248, [5, 5, 5, 5]))
        #expect(log.tally.station(L.s1)!.result(for: L.na248)!.counted?.totalCast == 600)
    }

    @Test("a retraction removes the event")
    func retraction() {
        var log = L()
        let count = log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        let incident = log.record(L.deviceA, L.s1, at: "11:00", L.incident(.violence))
        log.correct(L.deviceA, L.s1, at: "12:00", count.id)
        log.correct(L.deviceA, L.s1, at: "12:05", incident.id)
        let tally = log.tally.station(L.s1)!
        #expect(tally.turnout.isEmpty)
        #expect(tally.incidents.isEmpty)
        #expect(tally.corrections.count == 2)
    }

    @Test("of two corrections of one event, the device's later one stands")
    func laterCorrectionStands() {
        var log = L()
        let count = log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        let retract = log.correct(L.deviceA, L.s1, at: "12:00", count.id)
        let replace = log.correct(L.deviceA, L.s1, at: "12:30", count.id, with: L.turnout(120, asOf: "10:00"))
        let tally = log.tally.station(L.s1)!
        #expect(tally.latestTurnout?.votesCast == 120)
        #expect(tally.latestTurnout?.events == [count.id, replace.id])
        let outcomes = Dictionary(uniqueKeysWithValues: tally.corrections.map { ($0.event, $0.outcome) })
        #expect(outcomes[retract.id] == .superseded(by: replace.id))
        #expect(outcomes[replace.id] == .applied)
    }

    @Test("a correction of another device's event is ignored and flagged")
    func otherDevice() {
        var log = L()
        let theirs = log.record(L.deviceB, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        let stray = log.correct(L.deviceA, L.s1, at: "12:00", theirs.id)
        let tally = log.tally.station(L.s1)!
        #expect(tally.latestTurnout?.votesCast == 100)
        #expect(tally.corrections.first?.outcome == .notApplied(.otherDevice(L.deviceB)))
        let flag = tally.flags.first { $0.code == .correctionNotApplied }
        #expect(flag?.events == [stray.id, theirs.id])
        #expect(flag?.scope == .station(L.s1))
    }

    @Test("a correction of no known event, of a correction, of another station or of another type is flagged")
    func problems() {
        var log = L()
        let missing = EventID(high: 1, low: 2)
        log.correct(L.deviceA, L.s1, at: "12:00", missing)
        let count = log.record(L.deviceA, L.s1, at: "12:05", L.turnout(100, asOf: "12:00"))
        let retraction = log.correct(L.deviceA, L.s1, at: "12:10", count.id)
        log.correct(L.deviceA, L.s1, at: "12:15", retraction.id)
        let elsewhere = log.record(L.deviceA, L.s2, at: "12:20", L.turnout(50, asOf: "12:00"))
        log.correct(L.deviceA, L.s1, at: "12:25", elsewhere.id)
        let opened = log.record(L.deviceA, L.s1, at: "08:05", L.opened("08:00"))
        log.correct(L.deviceA, L.s1, at: "12:30", opened.id, with: L.turnout(1, asOf: "12:00"))
        let problems = log.tally.station(L.s1)!.corrections.compactMap { report -> CorrectionProblem? in
            if case .notApplied(let problem) = report.outcome { return problem }
            return nil
        }
        #expect(
            problems == [
                .unknownEvent, .notCorrectable(.reportCorrected), .otherStation(L.s2),
                .typeMismatch(replacement: .turnoutCounted, corrected: .stationOpened),
            ])
        #expect(log.tally.station(L.s1)!.flags.filter { $0.code == .correctionNotApplied }.count == 4)
        #expect(log.tally.station(L.s2)!.latestTurnout?.votesCast == 50)
        #expect(log.tally.station(L.s1)!.opening != nil)
    }

    @Test("a correction naming a later event of the same device does not apply")
    func notEarlier() {
        var log = L()
        let later = EventID(high: 0x1234, low: 0x5678)
        log.correct(L.deviceA, L.s1, at: "09:00", later)
        #expect(log.tally.station(L.s1)!.corrections.first?.outcome == .notApplied(.unknownEvent))
        log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"), id: later)
        let tally = log.tally.station(L.s1)!
        #expect(tally.corrections.first?.outcome == .notApplied(.notEarlier))
        #expect(tally.latestTurnout?.votesCast == 100)
    }
}
