import FieldSyncModel
import FieldSyncTally
import Testing

/// The commission's Form-47 and Form-49 in the fold: against the field's counted sum and the official Form-45s,
/// supersession, and the two seat flags (PROTOCOL.md §13, "Official figures").
@Suite("Official seat figures")
struct OfficialSeatTests {
    typealias L = TestLog
    static let seat = L.na248

    /// Reports from device A at both NA-248 stations (1,000 and 800 voters): C1 550, C2 350, C3 180, C4 70,
    /// rejected 15, cast 1,165; or only the first station's.
    static func field(bothStations: Bool = true) -> TestLog {
        var log = TestLog()
        log.record(L.deviceA, L.s1, at: "17:30", L.form45(seat, [300, 200, 100, 50], rejected: 10))
        if bothStations {
            log.record(L.deviceA, L.s2, at: "17:40", L.form45(seat, [250, 150, 80, 20], rejected: 5, registered: 800))
        }
        return log
    }

    /// An official import of `form` for NA-248 (at `station` for a Form-45).
    @discardableResult
    static func publish(
        _ form: OfficialResult.Form, _ votes: [Int], rejected: Int, station: StationCode? = nil, into log: inout TestLog
    ) -> Event {
        var byCandidate = [CandidateID: Int]()
        for (offset, count) in votes.enumerated() { byCandidate[L.candidate(seat, offset + 1)] = count }
        return log.define(
            .officialPublished(
                OfficialResult(
                    form: form, constituency: seat, station: station, votes: byCandidate, rejected: rejected,
                    totalCast: votes.reduce(rejected, +), sourceURL: "https://results.example/\(form.rawValue).csv",
                    fileSha256: SHA256Digest.hash("form \(form.rawValue) \(votes)"), editor: L.editor)),
            at: "2024-02-10T12:00:00+05:00")
    }

    static func flags(_ tally: ElectionTally) -> [TallyFlag] { tally.constituency(seat)?.flags ?? [] }

    @Test("a seat without official figures has none")
    func none() {
        let tally = Self.field().tally
        #expect(tally.constituency(Self.seat)?.official == nil)
        #expect(tally.city.national.official.seats == 0)
    }

    @Test("a Form-47 that agrees with the field: equal, no flag, the same leader")
    func agrees() throws {
        var log = Self.field()
        Self.publish(.form47, [550, 350, 180, 70], rejected: 15, into: &log)
        let official = try #require(log.tally.constituency(Self.seat)?.official)
        let form47 = try #require(official.form47)
        #expect(form47.field.isEqual && form47.field.stations == 2)
        #expect(form47.form45 == nil && official.form49 == nil)
        #expect(official.standing == .form47 && official.leader == L.candidate(Self.seat, 1))
        #expect(Self.flags(log.tally).isEmpty)
        #expect(log.tally.city.national.official.seats == 1 && log.tally.city.national.official.seatsDiffering == 0)
    }

    @Test("a Form-47 a few votes off: the differences, field minus official, and the seat counted as differing")
    func aFewVotesOff() throws {
        var log = Self.field()
        Self.publish(.form47, [550, 353, 180, 70], rejected: 14, into: &log)
        let form47 = try #require(log.tally.constituency(Self.seat)?.official?.form47)
        #expect(form47.field.differences == [L.candidate(Self.seat, 2): -3])
        #expect(form47.field.rejected == 1 && form47.field.totalCast == -2 && !form47.field.isEqual)
        #expect(Self.flags(log.tally).isEmpty)
        #expect(log.tally.city.national.official.seatsDiffering == 1)
    }

    @Test("a Form-49 whose leader the complete field overturns: field-changes-winner, exactly")
    func winnerChanges() throws {
        var log = Self.field()
        let form49 = Self.publish(.form49, [550, 600, 180, 70], rejected: 15, into: &log)
        let tally = log.tally
        #expect(tally.constituency(Self.seat)?.official?.leader == L.candidate(Self.seat, 2))
        #expect(
            Self.flags(tally) == [
                TallyFlag(
                    code: .fieldChangesWinner, scope: .constituency(Self.seat),
                    message: "the field's counted votes put NA-248-C01 ahead of NA-248-C02, the leader on the official "
                        + "Form-49, by 200 votes, more than the 0 registered voters of the 0 stations the field does "
                        + "not count",
                    events: [form49.id])
            ])
        #expect(tally.city.national.official.seatsWinnerChanged == 1)
    }

    @Test("a different official leader while the field misses a station larger than the lead: no flag")
    func incompleteFieldDoesNotDecide() throws {
        var log = Self.field(bothStations: false)
        Self.publish(.form47, [300, 450, 100, 50], rejected: 10, into: &log)
        // C1 leads C2 by 100 in the field; the uncounted station has 800 registered voters.
        #expect(log.tally.constituency(Self.seat)?.official?.leader == L.candidate(Self.seat, 2))
        #expect(Self.flags(log.tally).isEmpty)
        #expect(log.tally.constituency(Self.seat)?.official?.form47?.field.stations == 1)
    }

    @Test("a later import of the same form supersedes the earlier; the Form-49 stands over the Form-47")
    func supersession() throws {
        var log = Self.field()
        let first = Self.publish(.form47, [550, 350, 180, 70], rejected: 15, into: &log)
        let second = Self.publish(.form47, [551, 350, 180, 70], rejected: 15, into: &log)
        #expect(log.tally.constituency(Self.seat)?.official?.form47?.event == second.id)
        #expect(log.tally.constituency(Self.seat)?.official?.form47?.superseded == [first.id])
        Self.publish(.form49, [500, 400, 180, 70], rejected: 15, into: &log)
        let official = try #require(log.tally.constituency(Self.seat)?.official)
        #expect(official.standing == .form49 && official.standingFigures?.votes[L.candidate(Self.seat, 2)] == 400)
    }

    @Test("a Form-47 above the registered voters and above the official Form-45s of every station")
    func exceedsStations() throws {
        var log = Self.field()
        Self.publish(.form45, [300, 200, 100, 50], rejected: 10, station: L.s1, into: &log)
        Self.publish(.form45, [250, 150, 80, 20], rejected: 5, station: L.s2, into: &log)
        let form47 = Self.publish(.form47, [1000, 700, 100, 50], rejected: 10, into: &log)
        let official = try #require(log.tally.constituency(Self.seat)?.official)
        #expect(official.form45.stations == 2 && official.form45.figures.totalCast == 1165)
        #expect(official.form47?.form45?.totalCast == 1165 - 1860)
        #expect(
            Self.flags(log.tally) == [
                TallyFlag(
                    code: .officialExceedsStations, scope: .constituency(Self.seat),
                    message: "the official Form-47 total cast 1860 exceeds the 1165 ballots cast on the official "
                        + "Form-45s of its 2 stations and the 1800 registered voters of its 2 stations",
                    events: [form47.id])
            ])
    }

    @Test("a Form-47 with no official Form-45s: no comparison with them, and no Form-45 bound")
    func form47WithoutForm45s() throws {
        var log = Self.field()
        Self.publish(.form47, [600, 350, 180, 70], rejected: 15, into: &log)
        let official = try #require(log.tally.constituency(Self.seat)?.official)
        #expect(official.form45.stations == 0 && official.form47?.form45 == nil)
        #expect(Self.flags(log.tally).isEmpty)
    }

    @Test("official Form-45s stand for the seat only when every station has one")
    func form45Sum() throws {
        var log = Self.field()
        let one = Self.publish(.form45, [100, 400, 100, 50], rejected: 10, station: L.s1, into: &log)
        var official = try #require(log.tally.constituency(Self.seat)?.official)
        #expect(official.standing == nil && official.leader == nil && official.form45.differing == 1)
        let two = Self.publish(.form45, [250, 150, 80, 20], rejected: 5, station: L.s2, into: &log)
        official = try #require(log.tally.constituency(Self.seat)?.official)
        #expect(official.standing == .form45 && official.leader == L.candidate(Self.seat, 2))
        // C1 leads by 550 - 350 = 200 in the field; the Form-45s' sum makes C2 the leader.
        #expect(Self.flags(log.tally).map(\.code) == [.fieldChangesWinner])
        #expect(Self.flags(log.tally).first?.events == [one.id, two.id].sorted())
        #expect(log.tally.city.national.official.stationsDiffering == 1)
    }

    @Test("folded one event at a time, the seat's official figures are the replay's")
    func incremental() {
        var log = Self.field()
        Self.publish(.form45, [300, 200, 100, 50], rejected: 10, station: L.s1, into: &log)
        Self.publish(.form47, [550, 600, 180, 70], rejected: 15, into: &log)
        Self.publish(.form49, [550, 350, 180, 70], rejected: 15, into: &log)
        var tally = ElectionTally()
        for event in log.stored.reversed() where event.event.type == .officialPublished { tally.apply(event) }
        for event in log.stored where event.event.type != .officialPublished { tally.apply(event) }
        #expect(tally.constituency(Self.seat)?.canonicalBytes == log.tally.constituency(Self.seat)?.canonicalBytes)
        #expect(tally.city.canonicalBytes == log.tally.city.canonicalBytes)
    }

    @Test("tally --official's seat part: per candidate the Form-49, Form-47, field and Form-45s, with differences")
    func seatLines() throws {
        var log = Self.field()
        Self.publish(.form45, [300, 200, 100, 50], rejected: 10, station: L.s1, into: &log)
        Self.publish(.form47, [550, 353, 180, 70], rejected: 15, into: &log)
        Self.publish(.form49, [550, 600, 180, 70], rejected: 15, into: &log)
        let seat = try #require(log.tally.constituency(Self.seat))
        let lines = OfficialSeatFigures(["constituency": seat.jsonValue]).lines
        #expect(
            lines[0] == "NA-248: official figures — the standing ones are the Form-49, official leader NA-248-C02; "
                + "the field's leader NA-248-C01")
        #expect(
            lines[1].split(separator: " ", omittingEmptySubsequences: true) == [
                "candidate", "Form-49", "Form-47", "field", "2/2", "field−49", "Form-45s", "1/2", "45s−49",
            ])
        let c2 = try #require(lines.first { $0.hasPrefix("  NA-248-C02") })
        #expect(
            c2.split(separator: " ", omittingEmptySubsequences: true) == [
                "NA-248-C02", "600", "353", "350", "-250", "200", "-400",
            ])
        #expect(lines.contains { $0.hasPrefix("  field-changes-winner: the field's counted votes put NA-248-C01") })
        #expect(
            OfficialSeatFigures(["constituency": Self.field().tally.constituency(Self.seat)!.jsonValue]).lines == [
                "NA-248: no official Form-47, Form-49 or Form-45 imported"
            ])
    }

    @Test("audit explain traces each official figure to its import, editor, source and file")
    func explanation() throws {
        var log = Self.field()
        let form45 = Self.publish(.form45, [300, 200, 100, 50], rejected: 10, station: L.s1, into: &log)
        let first = Self.publish(.form47, [550, 350, 180, 70], rejected: 15, into: &log)
        let second = Self.publish(.form47, [550, 353, 180, 70], rejected: 15, into: &log)
        let tally = log.tally
        let explanation = TallyExplanation(tally: tally, cutoff: nil, times: [:])
        let seat = try #require(explanation.constituency(Self.seat)).joined(separator: "\n")
        #expect(seat.contains("  Form-47: C01 550 · C02 353"))
        #expect(
            seat.contains(
                "    standing: imported by editor \(L.editor) from https://results.example/47.csv, file SHA-256 "
                    + SHA256Digest.hash("form 47 [550, 353, 180, 70]").hex))
        #expect(seat.contains("    superseded: imported by editor \(L.editor)"))
        #expect(seat.contains("official.published · \(second.id)") && seat.contains("official.published · \(first.id)"))
        #expect(seat.contains("the field's 2 counted stations of 2, minus official: NA-248-C02 -3"))
        #expect(seat.contains("the official Form-45s of 1 stations, minus official: "))
        let station = try #require(explanation.station(L.s1)).joined(separator: "\n")
        #expect(station.contains("  Form-45 for NA-248: "))
        #expect(station.contains("official.published · \(form45.id)"))
        #expect(station.contains("    device \(L.deviceA): equal"))
        #expect(
            TallyExplanation.eventIDs(constituency: Self.seat, in: tally).isSuperset(of: [
                first.id, second.id, form45.id,
            ]))
    }
}
