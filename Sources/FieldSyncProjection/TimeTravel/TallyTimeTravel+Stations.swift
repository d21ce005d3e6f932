import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

extension TallyTimeTravel {
    /// One share of stations, read: their events that the cutoff includes, and where the events their
    /// corrections name are, for those outside the share.
    private struct Share: Sendable {
        var stations: [StationCode]
        var events: [StoredEvent]
        var locations: [EventID: EventLocation]
    }

    /// The fold of every event `cutoff` includes, from the reference data alone, a share of stations at
    /// a time; then the stations `kept` loaded from their facts, for their tallies. The fold before they
    /// are loaded (no station held) is remembered (``LastFold``) for the next request at the same cutoff
    /// over the same log.
    func stationByStation(upTo cutoff: TallyCutoff, keeping kept: Set<StationCode>) async throws -> ElectionTally {
        // Every read is bounded by the head now: events appended meanwhile are not seen by one read and
        // missed by another.
        let head = try await events.head().position
        let bound =
            if case .position(let position) = cutoff { min(position, head) } else { head }
        let key = LastFold.Key(cutoff: cutoff, bound: bound)
        var tally: ElectionTally
        if let remembered = lastFold?.tally(for: key) {
            tally = remembered
        } else {
            tally = try await foldShares(upTo: cutoff, bound: bound)
            lastFold?.remember(tally, for: key)
        }
        guard !kept.isEmpty else { return tally }
        // Loaded, not applied: the seats' sums already hold what they add.
        let share = try await read(kept.sorted(), including: cutoff, upTo: bound, locatingAll: true)
        var loaded = StationStates()
        loaded.stations = kept
        loaded.events = share.events
        loaded.locations = share.locations
        tally.load(loaded)
        tally.endBatch()
        return tally
    }

    /// Every share of stations folded in turn onto the reference data alone; no station is held after.
    private func foldShares(upTo cutoff: TallyCutoff, bound: Int64) async throws -> ElectionTally {
        // The last position included, the stations with facts and the reference data, at once: none needs
        // another, the two statements run in PostgreSQL while this process folds the reference events, and
        // one after the other they were most of a request as of an early time. Each is bounded by `bound`,
        // so the statements need not share a snapshot.
        async let lastIncluded = events.pool.withConnection { connection in
            try await Self.lastPosition(including: cutoff, upTo: bound, on: connection)
        }
        async let observed = events.pool.withConnection { connection in
            try await stationsWithFacts(upTo: bound, on: connection)
        }
        // ElectionTally(stationlessAt:referenceEvents:) without every reference event in memory at once,
        // or as the last fold of the same reference events made it; taken up to `bound`, which includes
        // the same reference events as the last position included.
        let (start, key) = try await reference(at: bound, including: cutoff, upTo: bound)
        let stationless: ElectionTally
        if let key, let kept = lastFold?.start(for: key)?.stationless {
            stationless = kept
        } else {
            stationless = start.finishWithoutStations()
            if let key { lastFold?.remember(LastFold.Start(key: key, resumption: start, stationless: stationless)) }
        }
        var tally = stationless.stationless(at: try await lastIncluded)
        let stations = try await observed.sorted()
        guard !stations.isEmpty else { return tally }
        // Shares of about `shareEvents` events, if the events were spread evenly over the stations.
        let perShare = max(1, min(stations.count, shareEvents * stations.count / max(1, Int(bound))))
        let shares = stride(from: 0, to: stations.count, by: perShare).map {
            Array(stations[$0..<min($0 + perShare, stations.count)])
        }
        // Two shares are read ahead of the one folded: a share's read waits on PostgreSQL, then decodes on
        // every core, and one read ahead left the cores idle while the next share's statement ran.
        try await withThrowingTaskGroup(of: (Int, Share).self) { group in
            var requested = 0
            func readNext() {
                guard requested < shares.count else { return }
                let (index, stations) = (requested, shares[requested])
                group.addTask { (index, try await read(stations, including: cutoff, upTo: bound)) }
                requested += 1
            }
            readNext()
            readNext()
            var arrived: [Int: Share] = [:]
            for index in shares.indices {
                while arrived[index] == nil {
                    // Never nil: a read of this share, at least, is still in the group.
                    guard let (number, share) = try await group.next() else { preconditionFailure("unread share") }
                    arrived[number] = share
                }
                let share = arrived.removeValue(forKey: index)!
                readNext()
                var loaded = StationStates()
                loaded.stations = Set(share.stations)
                loaded.locations = share.locations
                tally.load(loaded)
                try await tally.applyLoadedOnEveryCore(share.events)
                tally.endBatch()
                tally.evict(share.stations)
            }
        }
        return tally
    }

    /// The events of `stations` up to `bound` that `cutoff` includes, decoded, with the locations of the
    /// events their corrections name: outside them, for a share applied as a batch (a location given
    /// for an event of the batch would make the fold skip it as applied); all of them with
    /// `locatingAll`, for stations loaded from their facts.
    private func read(
        _ stations: [StationCode], including cutoff: TallyCutoff, upTo bound: Int64, locatingAll: Bool = false
    ) async throws -> Share {
        try await events.pool.withConnection { connection in
            let facts = try await StationStateStore.facts(
                of: stations.map(\.rawValue), upTo: bound, including: cutoff, on: connection)
            var targets = ElectionTally.correctionTargets(in: facts)
            if !locatingAll { targets.subtract(facts.map(\.event.id)) }
            let locations = try await StationStateStore.locations(
                of: targets, upTo: bound, including: cutoff, on: connection)
            return Share(stations: stations, events: facts, locations: locations)
        }
    }

    /// The stations with facts up to `bound`: those the last fold kept for an earlier bound and those of
    /// the events after it, or, without a last fold or with one kept for a later bound, read afresh.
    private func stationsWithFacts(
        upTo bound: Int64, on connection: PostgresConnection
    ) async throws -> Set<StationCode> {
        guard let lastFold, case let known = lastFold.observedStations, known.position <= bound else {
            return try await StationStateStore.stationsWithFacts(upTo: bound, on: connection)
        }
        guard known.position < bound else { return known.stations }
        let added = try await StationStateStore.stationsWithFacts(after: known.position, upTo: bound, on: connection)
        let observed = LastFold.ObservedStations(position: bound, stations: known.stations.union(added))
        lastFold.remember(observed)
        return observed.stations
    }

    /// The highest position up to `bound` of an event `cutoff` includes; 0 when there is none.
    private static func lastPosition(
        including cutoff: TallyCutoff, upTo bound: Int64, on connection: PostgresConnection
    ) async throws -> Int64 {
        try await connection.query(
            """
            SELECT position FROM events WHERE position <= \(bound) AND \(cutoff.condition)
            ORDER BY position DESC LIMIT 1
            """
        ).first?.decode(Int64.self, column: 0) ?? 0
    }
}
