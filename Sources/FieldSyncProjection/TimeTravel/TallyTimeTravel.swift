import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

/// Tallies as of a past position or time, folded from the nearest snapshot (``TallySnapshotStore``)
/// when there is one close enough, else station by station; never from the whole log at once.
///
/// From a snapshot at position S: the fold resumes partial from the seats' sums stored there and the
/// reference events up to S, reads from PostgreSQL only the events after S that the cutoff includes,
/// loads the stations they touch (and those asked for) as they stood at S, and applies the events as one
/// batch, exactly as the projector does. A cutoff by time may continue from a snapshot only if every
/// event up to it that the cutoff cuts by time and that moves a figure was observed by then (a snapshot's
/// sums cannot take an event out; devices' enrollments and revocations move none, and are left out of
/// the reference data it resumes with), and only if not too many events the cutoff includes follow it
/// (``init(events:lastFold:eventsAfterSnapshot:shareEvents:)``).
///
/// Otherwise (no snapshot before a position; a time before which a device's whole day arrived early in
/// the log, as after a network cut), the fold starts from the reference data alone
/// (``ElectionTally/init(stationlessAt:referenceEvents:)``) and takes the stations a share at a time:
/// each share's events that the cutoff includes, read by the station indexes, are applied as one batch
/// (its stations derived on every core) and the share is let go, keeping only what it added to the
/// seats' sums. The next share is read and decoded while one is folded; the stations asked for are
/// loaded last, from their facts. Either way the memory is that of the reference data and one share or
/// one snapshot's difference, whatever the length of the log.
///
/// Either way the reference data comes first, and with a ``LastFold`` it is folded once for the requests
/// that take the same reference events (``reference(at:including:upTo:)``): nationally it is most of a
/// request's work (about 100,000 events, 90,675 stations).
public struct TallyTimeTravel: Sendable {
    let events: EventStore
    private let snapshots: TallySnapshotStore
    let states: StationStateStore
    /// About how many events one share of stations holds.
    let shareEvents: Int
    /// The most events read in one statement.
    private static let pageSize = 5_000
    /// The most events a fold from a snapshot applies: beyond, it folds station by station.
    let eventsAfterSnapshot: Int
    /// Where the last fold station by station is kept for the next request at its cutoff, if anywhere.
    let lastFold: LastFold?

    /// Time travel over `events`. A fold from a snapshot applies at most `eventsAfterSnapshot` events; a
    /// fold station by station takes shares of about `shareEvents` events, and is kept in `lastFold`.
    public init(
        events: EventStore, lastFold: LastFold? = nil, eventsAfterSnapshot: Int = 50_000, shareEvents: Int = 20_000
    ) {
        self.events = events
        self.snapshots = TallySnapshotStore(pool: events.pool)
        self.states = StationStateStore(pool: events.pool)
        self.lastFold = lastFold
        self.eventsAfterSnapshot = max(0, eventsAfterSnapshot)
        self.shareEvents = max(1, shareEvents)
    }

    /// The tallies as of `cutoff`: the city, districts and seats, and the tallies of `stations` and of
    /// every station an event after the snapshot touched (a partial fold, ``ElectionTally/isPartial``).
    public func tally(asOf cutoff: TallyCutoff, stations: Set<StationCode> = []) async throws -> ElectionTally {
        if let snapshot = try await snapshots.nearest(to: cutoff),
            let later = try await events(after: snapshot.position, upTo: cutoff, atMost: eventsAfterSnapshot)
        {
            let (resumption, _) = try await reference(at: snapshot.position, including: cutoff, upTo: snapshot.position)
            if var tally = try? resumption.finish(sums: snapshot.sums) {
                var request = tally.stateRequest(for: later)
                request.stations.formUnion(stations)
                tally.load(try await states.states(for: request, holding: [], upTo: snapshot.position))
                _ = tally.apply(later)
                return tally
            }
            // Sums this version cannot read (a rebuild replaces them): folded station by station.
        }
        return try await stationByStation(upTo: cutoff, keeping: stations)
    }

    /// The events after `position` that `cutoff` includes, in position order; nil when there are more
    /// than `limit`.
    private func events(
        after position: Int64, upTo cutoff: TallyCutoff, atMost limit: Int
    ) async throws
        -> [StoredEvent]?
    {
        var included: [StoredEvent] = []
        switch cutoff {
        case .position(let last):
            guard last - position <= limit else { return nil }
            try await events.forEachDecodedPage(after: position, upTo: last, pageSize: Self.pageSize, columns: .fold) {
                included += $0
            }
        case .observedAtOrBefore:
            // Counted before anything is decoded: more than `limit` gives way to the fold by station.
            let following = try await events.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT count(*) FROM (
                        SELECT 1 FROM events WHERE position > \(position) AND \(cutoff.condition) LIMIT \(limit + 1)
                    ) AS following
                    """
                ).first?.decode(Int64.self, column: 0) ?? 0
            }
            guard following <= limit else { return nil }
            var after = position
            while true {
                let page = try await events.foldEvents(after: after, meeting: cutoff.condition, limit: Self.pageSize)
                included += page.filter { cutoff.includes($0) }
                guard page.count == Self.pageSize, let last = page.last else { break }
                after = last.position
            }
        }
        return included
    }
}
