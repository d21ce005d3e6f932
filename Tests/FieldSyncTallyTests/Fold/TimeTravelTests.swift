import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Time travel")
struct TimeTravelTests {
    typealias L = TestLog

    static func log() -> (TestLog, cut: Int64) {
        var log = L()
        log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 0]))
        let cut = log.stored.last!.position
        log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.na248, [300, 210, 100, 0]))
        // Sent last, observed first: counted at noon.
        log.record(L.deviceB, L.s1, at: "12:05", L.turnout(250, asOf: "12:00"))
        return (log, cut)
    }

    @Test("as of a global position: the events at or before it, as the server had them")
    func asOfPosition() {
        let (log, cut) = Self.log()
        let then = ElectionTally(replaying: log.stored, asOf: .position(cut))
        #expect(then.lastPosition == cut)
        #expect(then.station(L.s1)!.result(for: L.na248)!.status == .reported)
        #expect(then.station(L.s1)!.latestTurnout?.votesCast == 100)
        let prefix = ElectionTally(replaying: log.stored.prefix { $0.position <= cut })
        #expect(then.canonicalBytes == prefix.canonicalBytes)
        let now = log.tally
        #expect(now.station(L.s1)!.result(for: L.na248)!.status == .disputed)
    }

    @Test("as of an observation time: the events observed at or before it, whenever they arrived")
    func asOfObservation() {
        let (log, _) = Self.log()
        let noon = ElectionTally(replaying: log.stored, asOf: .observedAtOrBefore(L.time("12:05").instant))
        #expect(noon.station(L.s1)!.latestTurnout?.votesCast == 250)
        #expect(noon.station(L.s1)!.result(for: L.na248)!.status == .unreported)
        let evening = ElectionTally(replaying: log.stored, asOf: .observedAtOrBefore(L.time("19:05").instant))
        #expect(evening.station(L.s1)!.result(for: L.na248)!.status == .reported)
        let morning = ElectionTally(replaying: log.stored, asOf: .observedAtOrBefore(L.time("10:04").instant))
        #expect(morning.station(L.s1)!.turnout.isEmpty)
        #expect(morning.station(L.s1)!.station != nil)
    }

    @Test("as of an observation time, a correction whose target was observed later names no event")
    func correctionBeforeItsTarget() {
        var log = L()
        let count = log.record(L.deviceA, L.s1, at: "14:00", L.turnout(300, asOf: "14:00"))
        // The laptop's clock was wrong: the correction says 13:00.
        log.correct(L.deviceA, L.s1, at: "13:00", count.id, with: L.turnout(310, asOf: "14:00"))
        let whole = log.tally.station(L.s1)!
        #expect(whole.latestTurnout?.votesCast == 310)
        let then = ElectionTally(replaying: log.stored, asOf: .observedAtOrBefore(L.time("13:30").instant))
        let station = then.station(L.s1)!
        #expect(station.turnout.isEmpty)
        #expect(station.corrections.first?.outcome == .notApplied(.unknownEvent))
        #expect(station.flags.map(\.code) == [.correctionNotApplied])
    }

    @Test("an enrollment or a revocation moves no figure, so a snapshot's time may leave it out")
    func devicesMoveNoFigure() throws {
        var (log, _) = Self.log()
        let before = log.tally
        var tally = before
        // A relief reporter's laptop enrolled in the evening, the one it replaces revoked.
        let key = try SigningKey(rawRepresentation: Array(repeating: 7, count: 32))
        let enrollment = DeviceEnrollment(publicKey: key.publicKey, reporter: "Relief (synthetic)", role: .reporter)
        let enrolled = log.define(.deviceEnrolled(enrollment), at: "20:00")
        let revoked = log.define(
            .deviceRevoked(DeviceRevocation(device: L.deviceA, reason: "laptop stolen")), at: "20:05")
        #expect([enrolled.type, revoked.type] == [.deviceEnrolled, .deviceRevoked])
        #expect(TallyCutoff.typesMovingNoFigure == [.deviceEnrolled, .deviceRevoked])
        #expect(tally.apply(Array(log.stored.suffix(2))).isEmpty)
        #expect(tally.station(L.s1) == before.station(L.s1))
        #expect(tally.constituency(L.na248) == before.constituency(L.na248))
    }
}
