import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Who counts: assignments and editors' reviews")
struct WhoCountsTests {
    typealias L = TestLog

    /// Station 1 confirmed by devices A and B (NA-248: 300, 200, 100, 10).
    static func confirmed() -> (TestLog, [EventID]) {
        var log = L()
        let a = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 10]))
        let b = log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.na248, [300, 200, 100, 10]))
        return (log, [a.id, b.id])
    }

    @Test("an unassigned device's all-zero Form-45 neither disputes a confirmed station nor moves the seat")
    func unassignedCannotDispute() {
        var (log, _) = Self.confirmed()
        let before = log.tally.constituency(L.na248)!.canonicalBytes
        let rogue = log.record(L.deviceD, L.s1, at: "19:20", L.form45(L.na248, [0, 0, 0, 0]))
        let tally = log.tally
        let station = tally.station(L.s1)!
        #expect(station.result(for: L.na248)?.status == .confirmed)
        #expect(station.result(for: L.na248)?.held == 1)
        #expect(station.held.map(\.device) == [L.deviceD])
        #expect(station.held.first?.reason == .unassigned)
        #expect(station.held.first?.events == [rogue.id])
        #expect(station.held.first?.results.first?.report.figures.totalCast == 0)
        #expect(station.flags.map(\.code) == [.reportHeld])
        #expect(station.flags.first?.events == [rogue.id])
        let seat = tally.constituency(L.na248)!
        #expect(seat.stations.held == 1)
        #expect(seat.candidates.first?.votes == 300)
        #expect(seat.canonicalBytes != before)
        #expect(seat.stationFlags == [.reportHeld: 1])
    }

    @Test("an unassigned device's result at an unreported station is not counted, nor its turnout or incidents")
    func unassignedCountsForNothing() {
        var log = L()
        log.record(L.deviceD, L.s2, at: "08:05", L.opened("08:00"))
        log.record(L.deviceD, L.s2, at: "12:00", L.turnout(400, asOf: "12:00"))
        log.record(L.deviceD, L.s2, at: "13:00", L.incident(.form45Refused))
        log.record(L.deviceD, L.s2, at: "19:00", L.form45(L.na248, [500, 0, 0, 0], registered: 800))
        let station = log.tally.station(L.s2)!
        #expect(station.opening == nil)
        #expect(station.turnout.isEmpty)
        #expect(station.incidents.isEmpty)
        #expect(station.result(for: L.na248)?.status == .unreported)
        #expect(station.held.first?.events.count == 4)
        #expect(station.flags.map(\.code) == [.reportHeld])
        let seat = log.tally.constituency(L.na248)!
        #expect(seat.stations.counted == 0)
        #expect(seat.lead == nil)
    }

    @Test("assigning the device, by station or by seat, lets its observations count, whenever it comes")
    func assignmentReleases() {
        for byStation in [true, false] {
            var log = L()
            log.record(L.deviceD, L.s2, at: "19:00", L.form45(L.na248, [500, 0, 0, 0], registered: 800))
            #expect(log.tally.station(L.s2)?.result(for: L.na248)?.status == .unreported)
            if byStation {
                log.assign(L.deviceD, stations: [L.s2])
            } else {
                log.assign(L.deviceD, constituencies: [L.ps125])
            }
            let station = log.tally.station(L.s2)!
            #expect(station.result(for: L.na248)?.status == .reported)
            #expect(station.held.isEmpty)
            #expect(log.tally.constituency(L.na248)?.candidates.first?.votes == 500)
        }
    }

    @Test("a device assigned elsewhere stays held; assignments add up as reporters move")
    func assignmentsAddUp() {
        var log = L()
        log.assign(L.deviceD, stations: [L.s3])
        log.record(L.deviceD, L.s3, at: "10:00", L.turnout(100, asOf: "10:00"))
        log.record(L.deviceD, L.s2, at: "19:00", L.form45(L.na248, [500, 0, 0, 0], registered: 800))
        #expect(log.tally.station(L.s2)?.held.count == 1)
        #expect(log.tally.station(L.s3)?.turnout.count == 1)
        log.assign(L.deviceD, stations: [L.s2])
        #expect(log.tally.station(L.s2)?.held.isEmpty == true)
        #expect(log.tally.station(L.s3)?.turnout.count == 1)
    }

    @Test("an editor accepts a held device's observations; a later rejection holds them again")
    func acceptThenReject() {
        var (log, _) = Self.confirmed()
        log.record(L.deviceD, L.s1, at: "19:20", L.form45(L.na248, [290, 200, 100, 10]))
        log.review(L.s1, L.deviceD, accepted: true)
        var station = log.tally.station(L.s1)!
        #expect(station.result(for: L.na248)?.status == .disputed)
        #expect(station.held.isEmpty)
        let rejection = log.review(L.s1, L.deviceD, accepted: false)
        station = log.tally.station(L.s1)!
        #expect(station.result(for: L.na248)?.status == .confirmed)
        #expect(station.held.first?.reason == .rejected)
        #expect(station.held.first?.review == rejection.id)
        // A rejection raises no flag: an editor has decided.
        #expect(station.flags.isEmpty)
    }

    @Test("rejecting an assigned device's false report ends the dispute it made")
    func rejectAssigned() {
        var (log, _) = Self.confirmed()
        log.record(L.deviceC, L.s1, at: "19:20", L.form45(L.na248, [0, 0, 0, 0]))
        #expect(log.tally.station(L.s1)?.result(for: L.na248)?.status == .disputed)
        log.review(L.s1, L.deviceC, accepted: false)
        let station = log.tally.station(L.s1)!
        #expect(station.result(for: L.na248)?.status == .confirmed)
        #expect(log.tally.constituency(L.na248)?.candidates.first?.votes == 300)
    }

    @Test("a held device's corrections are held with the observations they correct")
    func heldCorrections() {
        var log = L()
        let wrong = log.record(L.deviceD, L.s1, at: "19:00", L.form45(L.na248, [1, 0, 0, 0]))
        let fix = log.correct(L.deviceD, L.s1, at: "19:30", wrong.id, with: L.form45(L.na248, [2, 0, 0, 0]))
        let station = log.tally.station(L.s1)!
        #expect(station.corrections.isEmpty)
        #expect(station.held.first?.events == [wrong.id, fix.id])
        #expect(station.held.first?.results.first?.report.figures.votes[L.candidate(L.na248, 1)] == 2)
    }

    @Test("a verification stands while the counted reports are the ones it names")
    func verification() {
        var (log, reports) = Self.confirmed()
        let review = log.verify(L.s1, L.na248, reports)
        var result = log.tally.station(L.s1)!.result(for: L.na248)!
        #expect(result.status == .verified)
        #expect(result.verification == review.id)
        var seat = log.tally.constituency(L.na248)!
        #expect(seat.stations.verified == 1)
        #expect(seat.stations.counted == 1)
        #expect(seat.candidates.first?.verifiedVotes == 300)
        // Another assigned device disagrees: disputed, and the verification is outdated.
        let late = log.record(L.deviceC, L.s1, at: "19:40", L.form45(L.na248, [301, 200, 100, 10]))
        result = log.tally.station(L.s1)!.result(for: L.na248)!
        #expect(result.status == .disputed)
        #expect(result.verification == nil)
        let flag = log.tally.station(L.s1)!.flags.first { $0.code == .verificationOutdated }
        #expect(flag?.events.first == review.id)
        #expect(flag?.events.contains(late.id) == true)
        seat = log.tally.constituency(L.na248)!
        #expect(seat.stations.verified == 0)
        #expect(seat.candidates.first?.verifiedVotes == 0)
        // An unassigned device's report does not outdate it.
        var other = Self.confirmed().0
        other.verify(L.s1, L.na248, reports)
        other.record(L.deviceD, L.s1, at: "19:40", L.form45(L.na248, [0, 0, 0, 0]))
        #expect(other.tally.station(L.s1)?.result(for: L.na248)?.status == .verified)
    }

    @Test("a verification of a disputed result does not make it count")
    func verificationOfDispute() {
        var (log, reports) = Self.confirmed()
        let late = log.record(L.deviceC, L.s1, at: "19:40", L.form45(L.na248, [301, 200, 100, 10]))
        log.verify(L.s1, L.na248, reports + [late.id])
        #expect(log.tally.station(L.s1)?.result(for: L.na248)?.status == .disputed)
        #expect(log.tally.constituency(L.na248)?.stations.counted == 0)
    }

    @Test("decisions are applied as they stand in a tally as of an observation time")
    func decisionsNotCutByTime() {
        var log = L()
        log.record(L.deviceD, L.s2, at: "19:00", L.form45(L.na248, [500, 0, 0, 0], registered: 800))
        // Assigned at 21:00, after the cutoff: the assignment still says who counts.
        log.assign(L.deviceD, stations: [L.s2], at: "21:00")
        let asOf = ElectionTally(replaying: log.stored, asOf: .observedAtOrBefore(L.time("20:00").instant))
        #expect(asOf.station(L.s2)?.result(for: L.na248)?.status == .reported)
    }
}
