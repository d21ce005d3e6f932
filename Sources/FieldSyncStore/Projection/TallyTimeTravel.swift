import FieldSyncModel
import FieldSyncTally

/// Tallies as of a past position or time, folded from the nearest snapshot (``TallySnapshotStore``)
/// rather than from the start of the log.
///
/// The fold resumes partial at the snapshot's position S from the seats' sums stored there and the
/// reference events up to S, reads from PostgreSQL only the events after S that the cutoff includes,
/// loads the stations they touch (and those asked for) as they stood at S, and applies the events as one
/// batch, exactly as the projector does. Its memory is that of the reference data, the events since the
/// snapshot and the stations they touch, whatever the length of the log.
///
/// A cutoff by time may continue from a snapshot only if every event up to it that the cutoff cuts by
/// time was observed by then (a snapshot's sums cannot take an event out). When reports arrive roughly in
/// the order they were observed, that is a snapshot shortly before the time; when a device's whole day
/// arrives at once early in the log, there may be none, and the log is folded from its start as before.
public struct TallyTimeTravel: Sendable {
    private let events: EventStore
    private let snapshots: TallySnapshotStore
    private let states: StationStateStore
    /// The most events read in one statement.
    private static let pageSize = 5_000

    public init(events: EventStore) {
        self.events = events
        self.snapshots = TallySnapshotStore(pool: events.pool)
        self.states = StationStateStore(pool: events.pool)
    }

    /// The tallies as of `cutoff`: the city, districts and seats, and the tallies of `stations` and of
    /// every station an event after the snapshot touched (a partial fold, ``ElectionTally/isPartial``).
    public func tally(asOf cutoff: TallyCutoff, stations: Set<StationCode> = []) async throws -> ElectionTally {
        guard let snapshot = try await snapshots.nearest(to: cutoff) else { return try await wholeFold(upTo: cutoff) }
        let reference = try await states.referenceEvents(upTo: snapshot.position, events: events)
        var tally: ElectionTally
        do {
            tally = try ElectionTally(resumingAt: snapshot.position, referenceEvents: reference, sums: snapshot.sums)
        } catch {
            // Sums this version cannot read (a rebuild replaces them).
            return try await wholeFold(upTo: cutoff)
        }
        let later = try await events(after: snapshot.position, upTo: cutoff)
        var request = tally.stateRequest(for: later)
        request.stations.formUnion(stations)
        tally.load(try await states.states(for: request, holding: [], upTo: snapshot.position))
        _ = tally.apply(later)
        return tally
    }

    /// Without a snapshot to start from: the log from its start up to `cutoff`, page by page, as one batch
    /// (``TallyReplay``). Its memory grows with the events included.
    private func wholeFold(upTo cutoff: TallyCutoff) async throws -> ElectionTally {
        var replay = TallyReplay(onto: ElectionTally())
        let until: Int64? = if case .position(let position) = cutoff { position } else { nil }
        try await events.forEachDecodedPage(upTo: until, pageSize: Self.pageSize) { page in
            replay.add(page.lazy.filter { cutoff.includes($0) })
        }
        return replay.finish().tally
    }

    /// The events after `position` that `cutoff` includes, in position order.
    private func events(after position: Int64, upTo cutoff: TallyCutoff) async throws -> [StoredEvent] {
        var included: [StoredEvent] = []
        switch cutoff {
        case .position(let last):
            try await events.forEachDecodedPage(after: position, upTo: last, pageSize: Self.pageSize) {
                included += $0
            }
        case .observedAtOrBefore(let time):
            var after = position
            while true {
                let page = try await events.pool.withConnection { connection in
                    try await connection.query(
                        TallySnapshotStore.eventsQuery(after: after, observedAtOrBefore: time, limit: Self.pageSize)
                    ).map { try StoredEventRecord(row: $0) }
                }
                included += try EventStore.decode(page).filter { cutoff.includes($0) }
                guard page.count == Self.pageSize, let last = page.last else { break }
                after = last.position
            }
        }
        return included
    }
}
