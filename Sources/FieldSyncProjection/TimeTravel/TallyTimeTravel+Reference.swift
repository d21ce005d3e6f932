import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

extension TallyTimeTravel {
    /// Which reference events a fold takes: their number, the last one's position and a digest of all
    /// their positions. The log is append-only, so the same positions are the same events, and a fold of
    /// them is the same reference data.
    struct ReferenceKey: Hashable, Sendable {
        var count: Int64
        var last: Int64
        var digest: String
    }

    /// The reference data a fold starts from: the reference events up to `bound` that `cutoff` includes,
    /// taken into a resumption at `position` (at or after all of them). Folded a page at a time, or, when
    /// the last fold took the same events, moved from it (``LastFold``): nationally they are about
    /// 100,000 events, most of them stations. The key is nil when no last fold is kept.
    func reference(
        at position: Int64, including cutoff: TallyCutoff, upTo bound: Int64
    ) async throws -> (ElectionTally.Resumption, ReferenceKey?) {
        var key: ReferenceKey?
        if let lastFold {
            let found = try await events.pool.withConnection { connection in
                try await Self.referenceKey(including: cutoff, upTo: bound, on: connection)
            }
            if let kept = lastFold.start(for: found) { return (kept.resumption.moved(to: position), found) }
            key = found
        }
        var resumption = ElectionTally.Resumption(at: position)
        try await states.forEachReferencePage(upTo: bound, events: events) {
            resumption.take($0.lazy.filter(cutoff.includes))
        }
        if let key { lastFold?.remember(LastFold.Start(key: key, resumption: resumption)) }
        return (resumption, key)
    }

    /// The reference events up to `bound` that `cutoff` includes, identified (``ReferenceKey``): those a
    /// resumption takes, so not the reviews and official Form-45s that name their station (they come with
    /// the station's facts; the server refuses a station code that does not parse).
    static func referenceKey(
        including cutoff: TallyCutoff, upTo bound: Int64, on connection: PostgresConnection
    ) async throws -> ReferenceKey {
        let types = EventType.allCases.filter(\.isReference).map(\.rawValue)
        let row = try await connection.query(
            """
            SELECT count(*), coalesce(max(position), 0),
                   coalesce(md5(string_agg(position::text, ',' ORDER BY position)), '')
            FROM events WHERE type = ANY(\(types)::text[]) AND position <= \(bound) AND \(cutoff.condition)
              AND NOT (type IN \(unsafeRaw: StationStateStore.stationFactTypes) AND payload ->> 'station' IS NOT NULL)
            """
        ).first
        return ReferenceKey(
            count: try row?.decode(Int64.self, column: 0) ?? 0, last: try row?.decode(Int64.self, column: 1) ?? 0,
            digest: try row?.decode(String.self, column: 2) ?? "")
    }
}
