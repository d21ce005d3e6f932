import FieldSyncModel

/// Where one seat's count stands at one polling station, from the Form-45s reported for it.
public enum ResultStatus: String, CaseIterable, Sendable, Hashable, Comparable {
    /// No device has reported a Form-45 for this seat.
    case unreported
    /// One device has.
    case reported
    /// Two or more devices have, and all their figures agree.
    case confirmed
    /// Two or more devices have, and their figures disagree.
    case disputed

    /// Whether the station's figures go into the counted totals: reported and confirmed do,
    /// disputed are shown apart.
    public var isCounted: Bool { self == .reported || self == .confirmed }

    public static func < (lhs: ResultStatus, rhs: ResultStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
