import FieldSyncClient
import FieldSyncModel
import Foundation

/// One reporter of the campaign: a laptop set up with the real `fieldsync init`, whose day comes from a
/// simulated polling day (opening, agents, turnout, incidents, the Form-45 result, corrections) and,
/// once that is all recorded, from more turnout counts at its station.
///
/// Observations are written to its log as an offline day writes them, through the client library and
/// under the log's lock; `fieldsync record` and `fieldsync sync` run against the same home.
struct CampaignReporter: Sendable {
    let laptop: ReporterLaptop
    let station: PollingStation
    /// A station of a seat the reporter is not assigned to: every fifth extra count is recorded there, and
    /// must be held, never counted.
    let stray: PollingStation
    /// The simulated day's observations not yet recorded, with the ids they were made with (corrections
    /// name the events they correct by id).
    private var day: ArraySlice<(id: EventID, draft: EventDraft)>
    private var extraCounts = 0

    init(laptop: ReporterLaptop, day: [Event], reference: ReferenceData, stray: PollingStation) throws {
        self.laptop = laptop
        self.stray = stray
        let code = try require(day.first?.station, "a simulated reporter without observations")
        self.station = try require(reference.stations[code], "station \(code) is not in the reference data")
        self.day = ArraySlice(
            day.map { ($0.id, EventDraft(type: $0.type, subject: $0.subject, time: $0.time.text, data: $0.data)) })
    }

    var home: ClientHome { laptop.home }

    /// Records `count` observations in one write, signed and chained after what the log holds.
    mutating func recordOffline(_ count: Int) async throws {
        var drafts = [(id: EventID, draft: EventDraft)]()
        while drafts.count < count {
            if let next = day.popFirst() {
                drafts.append(next)
            } else {
                drafts.append((.random(), nextCount()))
            }
        }
        let key = try laptop.key
        try await FileLock.withLock(home.logLock) {
            var log = try await laptop.log()
            var chain = log.chain
            let events = try drafts.map { try chain.sign($0.draft, id: $0.id, key: key) }
            try log.append(events)
        }
    }

    /// A turnout count later in the afternoon, each a little higher than the one before; every fifth at the
    /// stray station.
    private mutating func nextCount() -> EventDraft {
        extraCounts += 1
        let start = Timestamp(rfc3339: "2024-02-08T12:00:00+05:00")!
        let time = ObservedTime(start.adding(seconds: Int64(extraCounts * 7 % 14_400)), offsetMinutes: 300)
        let at = extraCounts % 5 == 0 ? stray : station
        return EventDraft(
            payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: extraCounts % at.voters.total)),
            subject: at.code.rawValue, time: time)
    }
}
