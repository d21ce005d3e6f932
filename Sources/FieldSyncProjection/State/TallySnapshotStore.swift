import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

/// Snapshots of the projector's fold at regular positions (migration `tally_snapshots`), so that a
/// tally as of a past moment folds only the events after the nearest one (``TallyTimeTravel``).
///
/// A snapshot holds the seats' sums, not the tally documents nor the stations: the sums are what a
/// partial fold resumes from (``ElectionTally/init(resumingAt:referenceEvents:sums:)``), a few kilobytes
/// a seat, and the documents derive from them; a station's state is its events, which `events` already
/// keeps by position, so a fold continuing from a snapshot at S reads a station's events up to S. Only
/// the seats whose sums changed since the snapshot before are stored again: the storage is one row per
/// seat that changed per snapshot, at most the seats times the snapshots.
struct TallySnapshotStore: Sendable {
    let pool: PostgresPool

    /// A snapshot found for a cutoff: its position and every seat's sums there.
    struct Snapshot: Sendable {
        var position: Int64
        var sums: [(ConstituencyCode, [UInt8])]
    }

    /// The types whose time says nothing of whether a snapshot's sums hold for a cutoff by time: those
    /// the cutoff keeps at any time, and those that move no figure (``TallyCutoff/typesMovingNoFigure``).
    private static let untimedTypes = TallyCutoff.literals(
        TallyCutoff.typesKeptAtAnyTime.union(TallyCutoff.typesMovingNoFigure))

    /// Writes a snapshot at `position`, in the transaction that writes the seats' sums and the checkpoint
    /// there (after the sums): the seats whose sums changed since the last snapshot, and the latest
    /// observation time of the events up to `position` that a cutoff by time cuts and that move a figure.
    /// (A snapshot written before devices' enrollments were left out took them into that time: later, so
    /// it serves fewer cutoffs, never a wrong one.)
    func write(at position: Int64, on connection: PostgresConnection) async throws {
        let last = try await connection.query(
            "SELECT position, latest_observed_at FROM tally_snapshots ORDER BY position DESC LIMIT 1"
        ).first
        let previous: Int64 = try last?.decode(column: 0) ?? 0
        let previousLatest: Timestamp? = try last?.decode(Timestamp?.self, column: 1)
        guard previous < position else { return }
        try await connection.execute(
            """
            INSERT INTO tally_snapshots (position, latest_observed_at)
            SELECT \(position), greatest(\(previousLatest)::timestamptz, max(observed_at)) FROM events
            WHERE position > \(previous) AND position <= \(position)
              AND type NOT IN \(unsafeRaw: Self.untimedTypes)
            """)
        try await connection.execute(
            """
            INSERT INTO tally_snapshot_sums (constituency, position, sums)
            SELECT constituency, \(position), sums FROM seat_sums WHERE updated_position > \(previous)
            """)
    }

    /// Forgets every snapshot, in a rebuild's transaction: they were made by the fold being replaced.
    func removeAll(on connection: PostgresConnection) async throws {
        try await connection.execute("DELETE FROM tally_snapshots")
    }

    /// The latest snapshot a fold up to `cutoff` may continue from: at or before its position, or, for a
    /// time, one whose every event cut by time that moves a figure was observed by then. Nil when there is
    /// none.
    func nearest(to cutoff: TallyCutoff) async throws -> Snapshot? {
        try await pool.withReadOnlySnapshot { connection in
            let found: PostgresResult =
                switch cutoff {
                case .position(let position):
                    try await connection.query(
                        """
                        SELECT position FROM tally_snapshots WHERE position <= \(position)
                        ORDER BY position DESC LIMIT 1
                        """)
                case .observedAtOrBefore(let time):
                    try await connection.query(
                        """
                        SELECT position FROM tally_snapshots
                        WHERE latest_observed_at IS NULL OR latest_observed_at <= \(time)
                        ORDER BY position DESC LIMIT 1
                        """)
                }
            guard let row = found.first else { return nil }
            let position: Int64 = try row.decode(column: 0)
            let sums = try await connection.query(
                """
                SELECT DISTINCT ON (constituency) constituency, sums::text FROM tally_snapshot_sums
                WHERE position <= \(position) ORDER BY constituency, position DESC
                """
            ).compactMap { row -> (ConstituencyCode, [UInt8])? in
                guard let code = ConstituencyCode(try row.decode(String.self, column: 0)) else { return nil }
                return (code, Array(try row.decode(String.self, column: 1).utf8))
            }
            return Snapshot(position: position, sums: sums)
        }
    }

    /// Every snapshot's position, in order.
    func positions() async throws -> [Int64] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT position FROM tally_snapshots ORDER BY position").map {
                try $0.decode(Int64.self, column: 0)
            }
        }
    }
}
