import FieldSyncModel
import FieldSyncTally
import Testing

/// Explanations name the events behind each figure, with their positions, devices, types and times.
@Suite struct TallyExplanationTests {
    let log = SignedLog()

    func explanation(cutoff: TallyCutoff? = nil) -> TallyExplanation {
        let stored = log.stored
        var times = [EventID: (time: String, received: String)]()
        for event in stored { times[event.event.id] = (event.event.time.text, event.received.rfc3339UTC) }
        return TallyExplanation(tally: ElectionTally(replaying: stored, asOf: cutoff), cutoff: cutoff, times: times)
    }

    /// The position of the event with this id.
    func position(_ id: EventID) -> Int64 {
        log.stored.first { $0.event.id == id }!.position
    }

    @Test func aDisputedStationShowsEveryReportAndItsEvent() throws {
        let code = log.stations[1].code
        let lines = try #require(explanation().station(code))
        let text = lines.joined(separator: "\n")
        #expect(text.contains("\(log.seat): disputed — 2 devices reported different figures"))
        #expect(text.contains("Disputed range: "))
        let reports = log.stored.filter { $0.event.type == .resultReported && $0.event.subject == code.rawValue }
        #expect(reports.count == 2)
        for report in reports {
            #expect(
                text.contains(
                    "position \(report.position) · \(report.event.time.text) · device \(report.event.device) · "
                        + "result.reported · \(report.event.id)"))
        }
        #expect(text.contains("Incident power-outage (low)"))
    }

    @Test func aCorrectedStationShowsTheCorrectionsAppliedAndTheTurnoutHistory() throws {
        let code = log.stations[2].code
        let text = try #require(explanation().station(code)).joined(separator: "\n")
        #expect(text.contains("\(log.seat): reported — one device reported; its figures count"))
        #expect(text.contains("(as corrected)"))
        #expect(text.contains("replacement of "))
        #expect(text.contains("retraction of "))
        #expect(text.contains("report.corrected"))
        #expect(text.contains("Turnout: no count"))
        let opened = try #require(explanation().station(log.stations[0].code)).joined(separator: "\n")
        #expect(opened.contains("Turnout history"))
        #expect(opened.contains("as of 2024-02-08T12:00:00+05:00: 180 votes cast"))
        #expect(opened.contains("Opening: 2024-02-08T08:05:00+05:00, 5 min late"))
    }

    @Test func aConstituencyNamesTheStationsAndEventsBehindEachFigure() throws {
        let tally = log.tally
        let lines = try #require(explanation().constituency(log.seat))
        let text = lines.joined(separator: "\n")
        #expect(text.contains("  confirmed 1:"))
        #expect(text.contains("  disputed 1:"))
        #expect(text.contains("    \(log.stations[3].code)"))
        let seat = try #require(tally.constituency(log.seat))
        #expect(text.contains("Lead: \(seat.lead!.leader)"))
        let provenance = try #require(tally.provenance(constituency: log.seat))
        for entry in provenance.counted + provenance.disputed {
            for event in entry.events { #expect(text.contains("position \(event.position) · ")) }
        }
        #expect(text.contains("Counted stations"))
        #expect(text.contains("Disputed stations"))
        #expect(text.contains("  \(log.stations[0].code): 180 as of 2024-02-08T12:00:00+05:00"))
    }

    @Test func explanationsFollowTheCutoff() throws {
        let lastResult = log.stored.last { $0.event.type == .resultReported }!.position
        let early = explanation(cutoff: .position(lastResult - 2))
        let text = try #require(early.station(log.stations[1].code)).joined(separator: "\n")
        #expect(text.contains("\(log.seat): reported"))
        #expect(text.contains("Folded: as of position \(lastResult - 2)"))
        let json = try #require(early.stationJSON(log.stations[1].code))
        #expect(json["asOf"] == ["position": .integer(lastResult - 2)])
        #expect((json["events"]?.arrayValue ?? []).allSatisfy { $0["time"]?.stringValue != nil })
    }

    @Test func theEventsAnExplanationNamesAreKnownBeforeReadingTheirTimes() {
        let tally = log.tally
        let ids = TallyExplanation.eventIDs(station: log.stations[2].code, in: tally)
        // The reporters' events about the station; its definition in the reference data is not provenance.
        let expected = log.stored.filter {
            $0.event.subject == log.stations[2].code.rawValue && $0.event.type != .stationDefined
        }.map(\.event.id)
        #expect(ids == Set(expected))
        #expect(TallyExplanation.eventIDs(constituency: log.seat, in: tally).count >= 6)
        #expect(position(expected[0]) > 0)
    }
}
