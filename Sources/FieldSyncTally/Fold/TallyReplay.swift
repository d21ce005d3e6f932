import FieldSyncModel

/// A fold of a log that arrives page by page — a projector's rebuild or catch-up, the server's time
/// travel, an auditor's replay of an export — with the tallies of one batch.
///
/// Each page's facts are recorded as it comes, and the tallies are derived once, at ``finish()``.
/// Applying page after page with `ElectionTally.apply(_:)` would give the same
/// tallies, but would derive a busy station again for every page that holds one of its events; over a
/// whole polling day that is most of the fold's time.
public struct TallyReplay: Sendable {
    private var tally: ElectionTally
    private var touched = ElectionTally.Touched()

    /// A replay onto `tally`: a fresh one, or one that holds the log's earlier part.
    public init(onto tally: ElectionTally) {
        self.tally = tally
    }

    /// The highest position added so far.
    public var lastPosition: Int64 { tally.lastPosition }

    /// Makes room for about `events` more events, so that recording a whole log does not grow its
    /// index of events again and again (each time rehashing every id recorded so far).
    public mutating func reserveCapacity(events: Int) {
        tally.index.reserveCapacity(tally.index.count + max(0, events))
    }

    /// Records the facts of the next page.
    public mutating func add(_ events: [StoredEvent]) {
        for stored in events { tally.ingest(stored, into: &touched) }
    }

    /// The tallies of everything added, and what changed since the tally it started onto.
    public consuming func finish() -> (tally: ElectionTally, changes: TallyChanges) {
        let changes = tally.refresh(touched)
        return (tally, changes)
    }

    /// ``finish()``, with the stations derived on every core: the same tallies, byte for byte.
    public consuming func finishOnEveryCore() async -> (tally: ElectionTally, changes: TallyChanges) {
        let changes = await tally.refreshOnEveryCore(touched)
        return (tally, changes)
    }
}
