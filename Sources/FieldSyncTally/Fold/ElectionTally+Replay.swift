import FieldSyncModel

extension ElectionTally {
    /// The tallies of a log, or of its part up to a cutoff: the time travel an auditor uses.
    /// `events` may come in any order that keeps each device's events in sequence order.
    public init(
        replaying events: some Sequence<StoredEvent>, asOf cutoff: TallyCutoff? = nil
    ) {
        self.init()
        index.reserveCapacity(events.underestimatedCount)
        if let cutoff {
            apply(events.filter { cutoff.includes($0) })
        } else {
            apply(Array(events))
        }
    }
}
