import FieldSyncModel
import FieldSyncTally
import Testing

/// The fold reads the election's calendar from the log: minutes late count from its polling opening.
@Suite("Election calendar in the fold")
struct ElectionCalendarFoldTests {
    typealias L = TestLog

    /// Karachi's election with polling opening an hour later, at 09:00.
    static let laterOpening: ElectionDefinition = {
        var election = KarachiDemo.election
        election.pollingOpens = ObservedTime("2024-02-08T09:00:00+05:00")!
        return election
    }()

    @Test("minutes late count from the defined election's polling opening, and follow a new definition")
    func minutesLateFollowTheDefinition() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "09:10", L.opened("09:05"))
        #expect(log.tally.station(L.s1)?.opening?.minutesLate == 65)
        log.define(.electionDefined(Self.laterOpening))
        #expect(log.tally.station(L.s1)?.opening?.minutesLate == 5)

        // Folded incrementally, the definition re-derives the station it arrives after.
        var tally = ElectionTally()
        tally.apply(log.stored.dropLast())
        #expect(tally.station(L.s1)?.opening?.minutesLate == 65)
        let changes = tally.apply(log.stored.last!)
        #expect(changes.stations == [L.s1])
        #expect(tally.station(L.s1)?.opening?.minutesLate == 5)
    }

    @Test("without an election defined, no station is late")
    func noElectionNoLateness() {
        var log = L(withReference: false)
        for payload in L.referencePayloads where payload.type != .electionDefined { log.define(payload) }
        log.record(L.deviceA, L.s1, at: "09:10", L.opened("09:05"))
        #expect(log.tally.station(L.s1)?.opening?.minutesLate == 0)
        #expect(log.tally.reference.election == nil)
    }
}
