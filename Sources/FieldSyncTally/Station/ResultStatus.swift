import FieldSyncModel

/// Where one seat's count stands at one polling station, from the Form-45s of the devices that count
/// there (see ``StationAdmission``) and an editor's verification.
public enum ResultStatus: String, CaseIterable, Sendable, Hashable, Comparable {
    /// No device has reported a Form-45 for this seat.
    case unreported
    /// One device has.
    case reported
    /// Two or more devices have, and all their figures agree.
    case confirmed
    /// Reported or confirmed, and an editor verified these very reports against the signed sheet.
    case verified
    /// Two or more devices have, and their figures disagree.
    case disputed

    /// Whether the station's figures go into the counted totals: reported, confirmed and verified do,
    /// disputed are shown apart.
    public var isCounted: Bool { self == .reported || self == .confirmed || self == .verified }

    public static func < (lhs: ResultStatus, rhs: ResultStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
