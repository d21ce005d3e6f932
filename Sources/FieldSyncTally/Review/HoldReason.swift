/// Why a device's observations at a station are held out of its tally.
public enum HoldReason: String, CaseIterable, Sendable, Hashable {
    /// The device is not assigned to the station, and no editor accepted its observations there.
    case unassigned
    /// An editor rejected the device's observations there.
    case rejected
}
