import FieldSyncModel

/// A moment to tally as of: a global position, or an observation time.
public enum TallyCutoff: Hashable, Sendable {
    /// The events at or before this position in the log: the tallies as the server had them then.
    case position(Int64)
    /// The events observed at or before this time (their `time`), whenever they arrived: the tallies
    /// as the reporters had seen things by then. Definitions are cut by their time too; assignments and
    /// editors' reviews are not: they say who counts, and are applied as they stand.
    case observedAtOrBefore(Timestamp)

    /// The types a cutoff by time keeps whatever their time: they say who counts.
    public static let typesKeptAtAnyTime: Set<EventType> = [.deviceAssigned, .reportReviewed]

    /// The types whose events move no figure of a tally, whether a cutoff takes them or not: a device's
    /// enrollment and revocation say whose key signs (checked at each push, not by the fold) and name an
    /// editor in an explanation. A cutoff by time cuts them like any definition; a fold's sums up to a
    /// position are nevertheless those of a cutoff that leaves them out, so a replacement device enrolled
    /// in the evening does not keep a tally as of the morning from a snapshot taken after it.
    public static let typesMovingNoFigure: Set<EventType> = [.deviceEnrolled, .deviceRevoked]

    /// Whether `event` is part of the tally as of this moment.
    public func includes(_ event: StoredEvent) -> Bool {
        switch self {
        case .position(let position): event.position <= position
        case .observedAtOrBefore(let time):
            Self.typesKeptAtAnyTime.contains(event.event.type) || event.event.time.instant <= time
        }
    }
}
