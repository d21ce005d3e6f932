import FieldSyncModel

/// What one defined station adds to one of its seats' totals. A seat's totals are the sum of its
/// stations' contributions, so they do not depend on the order the stations changed in; the fold
/// keeps each contribution to take it back out exactly when the station changes.
struct ContestContribution: Equatable, Sendable {
    var status = ResultStatus.unreported
    /// Whether some device's report for the seat is held for review.
    var held = false
    /// The station's registered voters.
    var registered = 0
    /// Counted figures (reported or confirmed).
    var votes = [CandidateID: Int]()
    var rejected = 0
    var totalCast = 0
    /// The events of counted reports with rejected ballots.
    var rejectingEvents = [EventID]()
    /// A disputed station's range.
    var range: DisputedRange?
    var disputedEvents = [EventID]()
    /// The latest turnout count, if any.
    var liveCast: Int?
    /// The station's turnout counts by hour.
    var hourlyTurnout = HourlyTurnout()
    var stationFlags = [FlagCode: Int]()
    /// The standing official Form-45 for the seat, its event, and whether it differs from a field report.
    var official: Form45Figures?
    var officialEvent: EventID?
    var officialDiffers = false
    /// Its field reports that differ from it, as the city's comparison lists them (no margin).
    var officialDifferences = [OfficialDifferences.Difference]()

    init() {}

    init(station: PollingStation, tally: StationTally, constituency: ConstituencyCode) {
        registered = station.voters.total
        liveCast = tally.latestTurnout?.votesCast
        hourlyTurnout = HourlyTurnout(history: tally.turnout, registeredVoters: station.voters.total)
        for flag in tally.flags { stationFlags[flag.code, default: 0] += 1 }
        if let standing = tally.official.first(where: { $0.constituency == constituency }) {
            official = Form45Figures(votes: standing.votes, rejected: standing.rejected, totalCast: standing.totalCast)
            officialEvent = standing.event
            officialDiffers = standing.differs
            if standing.differs {
                officialDifferences =
                    OfficialDifferences(stations: [tally.jsonValue], seats: [], only: constituency.rawValue).differences
            }
        }
        guard let result = tally.result(for: constituency) else { return }
        status = result.status
        held = result.held > 0
        if let counted = result.counted {
            votes = counted.votes
            rejected = counted.rejected
            totalCast = counted.totalCast
            if counted.rejected > 0 { rejectingEvents = result.events }
        } else if let range = result.range {
            self.range = range
            disputedEvents = result.events
        }
    }
}
