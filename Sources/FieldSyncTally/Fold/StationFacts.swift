import FieldSyncModel

/// Every observation about one station, keyed by event id: the facts a station's tally is derived
/// from. Nothing here depends on the order the events arrived in.
///
/// A station's facts are all its tally needs: with the reference data and the roll-ups they are the
/// fold's whole state of that station, so a fold can hold some stations and load the others when a
/// batch touches them (``ElectionTally/load(_:)``).
struct StationFacts: Sendable {
    /// Observations other than corrections.
    var observations: [EventID: ObservationRecord] = [:]
    /// Corrections whose subject is this station.
    var corrections: [EventID: ObservationRecord] = [:]
    /// Editors' reviews of reports at this station.
    var reviews: [EventID: ReviewRecord] = [:]
    /// The commission's Form-45s for this station, as editors imported them.
    var official: [EventID: OfficialRecord] = [:]
    /// Where the events named by ``corrections`` are in the log, for those that have arrived: a
    /// correction naming an event not here names an unknown event.
    var targets: [EventID: EventLocation] = [:]

    var isEmpty: Bool { observations.isEmpty && corrections.isEmpty && reviews.isEmpty && official.isEmpty }

    /// How many events these facts are: what a held station's memory grows with.
    var count: Int { observations.count + corrections.count + reviews.count + official.count }

    /// The station whose facts `event` belongs to: an observation's station, a review's, a station's
    /// official Form-45's; nil for other events.
    static func station(of event: Event) -> StationCode? {
        switch event.payload {
        case .reportReviewed(let review): review.station
        case .officialPublished(let official): official.station
        default: event.type.isReference ? nil : event.station
        }
    }

    /// Records `event`, one of this station's (``station(of:)``).
    mutating func record(_ event: Event) {
        switch event.payload {
        case .reportCorrected:
            corrections[event.id] = ObservationRecord(event)
        case .reportReviewed(let review):
            reviews[event.id] = ReviewRecord(id: event.id, seq: event.seq, review: review)
        case .officialPublished(let official):
            self.official[event.id] = OfficialRecord(id: event.id, seq: event.seq, result: official)
        default:
            observations[event.id] = ObservationRecord(event)
        }
    }
}
