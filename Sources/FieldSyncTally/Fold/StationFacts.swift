import FieldSyncModel

/// Every observation about one station, keyed by event id: the facts a station's tally is derived
/// from. Nothing here depends on the order the events arrived in.
struct StationFacts: Sendable {
    /// Observations other than corrections.
    var observations: [EventID: ObservationRecord] = [:]
    /// Corrections whose subject is this station.
    var corrections: [EventID: ObservationRecord] = [:]
    /// Editors' reviews of reports at this station.
    var reviews: [EventID: ReviewRecord] = [:]
    /// The commission's Form-45s for this station, as editors imported them.
    var official: [EventID: OfficialRecord] = [:]
}
