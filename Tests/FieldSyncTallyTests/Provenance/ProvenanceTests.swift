import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Provenance")
struct ProvenanceTests {
    typealias L = TestLog

    @Test("a station result lists the events behind it, with their positions")
    func stationResult() {
        var log = L()
        let wrong = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 210, 100, 0]))
        let b = log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.na248, [300, 200, 100, 0]))
        let fix = log.correct(L.deviceA, L.s1, at: "22:00", wrong.id, with: L.form45(L.na248, [300, 200, 100, 0]))
        let tally = log.tally
        let provenance = tally.provenance(station: L.s1, constituency: L.na248)!
        #expect(provenance.status == .confirmed)
        #expect(provenance.events.map(\.id) == [wrong.id, b.id, fix.id])
        let positions = Dictionary(uniqueKeysWithValues: log.stored.map { ($0.event.id, $0.position) })
        #expect(provenance.events.map(\.position) == [wrong.id, b.id, fix.id].map { positions[$0]! })
        #expect(provenance.events.map(\.type) == [.resultReported, .resultReported, .reportCorrected])
    }

    @Test("a seat's figures list the counted stations, the disputed ones, live turnout and each flag")
    func constituency() {
        var log = CountingRuleTests.confirmedAndDisputed()
        let count = log.record(L.deviceA, L.s1, at: "12:05", L.turnout(300, asOf: "12:00"))
        let tally = log.tally
        let provenance = tally.provenance(constituency: L.na248)!
        #expect(provenance.counted.map(\.station) == [L.s1])
        #expect(provenance.counted.first?.events.count == 2)
        #expect(provenance.disputed.map(\.station) == [L.s2])
        #expect(provenance.disputed.first?.events.count == 2)
        #expect(provenance.liveTurnout.first?.events.map(\.id) == [count.id])
        #expect(provenance.flags.map(\.figure) == tally.constituency(L.na248)!.flags.map(\.code.rawValue))
        // The counted events are exactly those of the counted stations' reports.
        let counted = Set(provenance.counted.flatMap(\.events).map(\.id))
        let expected = Set(log.stored.prefix(L.referencePayloads.count + 2).suffix(2).map(\.event.id))
        #expect(counted == expected)
    }

    @Test("references resolve any ids named in a document")
    func references() {
        var log = L()
        let event = log.record(L.deviceA, L.s1, at: "18:30", L.incident(.form45Refused))
        let tally = log.tally
        let flag = tally.station(L.s1)!.flags.first { $0.code == .form45Refused }!
        #expect(tally.references(flag.events).map(\.position) == [log.stored.last!.position])
        #expect(tally.references([EventID(high: 9, low: 9)]).isEmpty)
        #expect(tally.references([event.id]).first?.device == L.deviceA)
    }
}
