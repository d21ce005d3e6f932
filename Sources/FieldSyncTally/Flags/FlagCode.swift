import FieldSyncModel

/// What a flag is about. The raw values are stable: dashboards, alerts and auditors key on them.
public enum FlagCode: String, CaseIterable, Sendable, Hashable, Comparable {
    // Station scope.
    /// A Form-45 whose candidates' votes plus rejected ballots are not its total cast.
    case form45TotalsMismatch = "form45-totals-mismatch"
    /// A Form-45 whose total cast is above the registered voters (printed on it, or of the station).
    case form45AboveRegistered = "form45-above-registered"
    /// A Form-45 for a seat the station does not vote in.
    case form45NotOfStation = "form45-not-of-station"
    /// A turnout count above the station's registered voters.
    case turnoutOver100 = "turnout-over-100"
    /// A turnout count lower than a count of an earlier time.
    case turnoutDecreased = "turnout-decreased"
    /// The station closed and one of its seats has no Form-45.
    case closedWithoutResult = "closed-without-result"
    /// An incident of kind `form45-refused`: the presiding officer refused a copy of the Form-45.
    case form45Refused = "form45-refused"
    /// A correction that could not apply (not an earlier, correctable event of the same device).
    case correctionNotApplied = "correction-not-applied"
    /// Observations of a device not assigned to the station, held for an editor's review.
    case reportHeld = "report-held"
    /// An editor's verification of a result that no longer matches its reports.
    case verificationOutdated = "verification-outdated"
    /// The commission's Form-45 differs from a field report of the same seat.
    case officialDiffersFromField = "official-differs-from-field"
    /// The commission published a Form-45 for a station whose Form-45 the field saw refused.
    case officialForRefusedStation = "official-for-refused-station"
    // Constituency scope.
    /// Rejected ballots at or above the margin between leader and runner-up.
    case rejectedAtOrAboveMargin = "rejected-at-or-above-margin"
    /// The disputed stations' votes could put another candidate level with or ahead of the leader.
    case disputedCouldChangeLeader = "disputed-could-change-leader"
    /// The field's counted votes put another candidate ahead of the leader on the official figures, by more
    /// than the stations the field does not count could make up.
    case fieldChangesWinner = "field-changes-winner"
    /// The official Form-47 or 49 counts more ballots than the seat's registered voters, or than its official
    /// Form-45s.
    case officialExceedsStations = "official-exceeds-stations"

    /// Whether flags of this code are about a station or a constituency.
    public var scope: FlagScope.Kind {
        switch self {
        case .rejectedAtOrAboveMargin, .disputedCouldChangeLeader, .fieldChangesWinner, .officialExceedsStations:
            .constituency
        default: .station
        }
    }

    public static func < (lhs: FlagCode, rhs: FlagCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
