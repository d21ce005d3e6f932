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

    /// Whether `event` is part of the tally as of this moment.
    public func includes(_ event: StoredEvent) -> Bool {
        switch self {
        case .position(let position): event.position <= position
        case .observedAtOrBefore(let time):
            Self.typesKeptAtAnyTime.contains(event.event.type) || event.event.time.instant <= time
        }
    }
}
