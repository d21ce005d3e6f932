import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

/// The tally tables: the documents the projector writes, its checkpoints, and reads for the API.
public struct TallyStore: Sendable {
    public let pool: PostgresPool

    /// The channel on which the projector announces each applied batch; the payload is its position.
    public static let notificationChannel = "fieldsync_tallies"

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Where a projector stands: every event at or below this position is in the tallies.
    public func checkpoint(of projector: String) async throws -> Int64 {
        try await pool.withConnection { connection in try await Self.checkpoint(of: projector, on: connection) }
    }

    /// Where a projector stands, read on `connection` (in its transaction, when it has one).
    static func checkpoint(of projector: String, on connection: PostgresConnection) async throws -> Int64 {
        try await connection.query(
            "SELECT position FROM projector_checkpoints WHERE projector = \(projector)"
        ).first?.decode(Int64.self, column: 0) ?? 0
    }

    /// The projector's checkpoint and the documents asked for, read in one snapshot: the documents are
    /// exactly those of the events up to that position.
    ///
    /// - Parameters:
    ///   - kinds: every document of these kinds;
    ///   - keys: and these documents, by kind and key.
    public func snapshot(
        kinds: [TallyRow.Kind] = [], keys: [(kind: TallyRow.Kind, key: String)] = [], projector: String = "tallies"
    ) async throws -> TallySnapshot {
        try await readSnapshot(projector: projector) { connection in
            try await connection.query(
                """
                SELECT kind, key, document FROM tallies
                WHERE kind = ANY(\(kinds.map(\.rawValue))::text[])
                   OR (kind, key) IN (
                       SELECT * FROM unnest(\(keys.map(\.kind.rawValue))::text[], \(keys.map(\.key))::text[]))
                ORDER BY kind, key
                """)
        }
    }

    /// The projector's checkpoint and the documents of every station an editor should look at: with
    /// reports held for review, a disputed result, or a flag (the column `needs_review`, which the projector
    /// writes beside each station's document, ``TallyRow/needsReview``).
    public func stationsToReview(projector: String = "tallies") async throws -> TallySnapshot {
        try await readSnapshot(projector: projector) { connection in
            try await connection.query("SELECT kind, key, document FROM tallies WHERE needs_review ORDER BY key")
        }
    }

    /// The checkpoint and the rows changed after `position`, in one read-only snapshot: station rows by
    /// key alone (their documents are not read), the seats', districts' and city's with their documents.
    /// At most `limit` rows; more than that, and the caller learns only that there were more.
    public func changedDocuments(after position: Int64, limit: Int) async throws -> TallySnapshot {
        try await readSnapshot(projector: "tallies") { connection in
            try await connection.query(
                """
                SELECT kind, key, CASE WHEN kind = 'station' THEN '' ELSE document END FROM tallies
                WHERE updated_position > \(position) AND kind NOT IN ('station-summary', 'official')
                ORDER BY kind, key LIMIT \(limit)
                """)
        }
    }

    /// The checkpoint and the rows `query` reads (kind, key, document), in one read-only snapshot.
    private func readSnapshot(
        projector: String, _ query: (PostgresConnection) async throws -> PostgresResult
    ) async throws -> TallySnapshot {
        try await pool.withReadOnlySnapshot { connection in
            let position = try await Self.checkpoint(of: projector, on: connection)
            let rows = try await query(connection).map { row in
                TallySnapshot.Document(
                    kind: TallyRow.Kind(rawValue: try row.decode(String.self, column: 0)) ?? .station,
                    key: try row.decode(column: 1), bytes: try row.decode(column: 2))
            }
            return TallySnapshot(position: position, documents: rows)
        }
    }

    /// The rows changed by batches after `position`, with the position of the batch that last changed
    /// each: what a live reader that has seen everything up to `position` must fetch. A station's summary
    /// changes with the station, so only the station is named.
    public func changes(after position: Int64, limit: Int = 10_000) async throws -> [TallyChange] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT kind, key, updated_position FROM tallies
                WHERE updated_position > \(position) AND kind <> 'station-summary'
                ORDER BY updated_position, kind, key LIMIT \(limit)
                """
            ).map { row in
                TallyChange(
                    kind: TallyRow.Kind(rawValue: try row.decode(String.self, column: 0)) ?? .station,
                    key: try row.decode(column: 1), position: try row.decode(column: 2))
            }
        }
    }

    /// The most bytes of documents one statement of ``write(_:on:position:statementBytes:)`` carries.
    ///
    /// A statement's documents are copied several times on their way out (as strings, quoted into an array
    /// literal, into libpq's buffer): a whole batch in one statement, fifteen thousand rows of the national
    /// reference data, made those copies the projector's peak of memory, and the allocator kept much of it.
    static let statementBytes = 1 << 20

    /// Writes a batch's changed rows, as of `position`, in the batch's transaction (which then moves the
    /// checkpoint with ``setCheckpoint(_:projector:on:)``): the rows with a document in statements of at
    /// most `statementBytes` of documents each (``Swift/Array/slices(ofDocumentBytes:)``), then those
    /// removed. Returns how many statements wrote documents.
    @discardableResult
    func write(
        _ rows: [TallyRow], on connection: PostgresConnection, position: Int64,
        statementBytes: Int = Self.statementBytes
    ) async throws -> Int {
        let kept = rows.filter { $0.canonicalBytes != nil }
        let removed = rows.filter { $0.canonicalBytes == nil }
        let slices = kept.slices(ofDocumentBytes: statementBytes)
        for slice in slices {
            try await connection.execute(
                """
                INSERT INTO tallies (kind, key, document, needs_review, updated_position)
                SELECT kind, key, document, needs_review, \(position)
                FROM unnest(\(slice.map(\.kind.rawValue))::text[], \(slice.map(\.key))::text[],
                            \(slice.map { String(decoding: $0.canonicalBytes!, as: UTF8.self) })::text[],
                            \(slice.map(\.needsReview))::boolean[]) AS r(kind, key, document, needs_review)
                ON CONFLICT (kind, key) DO UPDATE
                SET document = EXCLUDED.document, needs_review = EXCLUDED.needs_review,
                    updated_position = EXCLUDED.updated_position
                """)
        }
        if !removed.isEmpty {
            try await connection.execute(
                """
                DELETE FROM tallies t
                USING unnest(\(removed.map(\.kind.rawValue))::text[], \(removed.map(\.key))::text[]) AS r(kind, key)
                WHERE t.kind = r.kind AND t.key = r.key
                """)
        }
        return slices.count
    }

    /// Replaces every tally with `rows`, as of `position`, in one transaction: readers see the old
    /// tallies or the new, never a mix, and are not held up while the new ones are written. `alongside`
    /// writes what else belongs to the same position (the projector's state) in the same transaction.
    func replaceAll(
        with rows: [TallyRow], checkpoint position: Int64, projector: String,
        alongside: @Sendable (PostgresConnection) async throws -> Void = { _ in }
    ) async throws {
        // The documents' bytes, and room for the other columns: one buffer, never grown.
        var writer = PostgresCopyWriter(
            reservingCapacity: rows.reduce(0) { $0 + ($1.canonicalBytes?.count ?? 0) + $1.key.utf8.count + 64 })
        for row in rows {
            guard let document = row.canonicalBytes else { continue }
            writer.append(row.kind.rawValue)
            writer.append(row.key)
            writer.append(utf8: document)
            writer.append(row.needsReview)
            writer.append(position)
            writer.endRow()
        }
        try await pool.withTransaction { connection in
            // EXCLUSIVE stops other writers, not readers: they see the old rows until the commit.
            try await connection.execute("LOCK TABLE tallies IN EXCLUSIVE MODE")
            try await connection.execute("DELETE FROM tallies")
            try await connection.copy(
                "COPY tallies (kind, key, document, needs_review, updated_position) FROM STDIN", data: writer.data)
            try await alongside(connection)
            try await setCheckpoint(position, projector: projector, on: connection)
        }
    }

    /// Moves the projector's checkpoint, in a transaction, with one notification on ``notificationChannel``
    /// sent when it commits.
    func setCheckpoint(_ position: Int64, projector: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO projector_checkpoints (projector, position) VALUES (\(projector), \(position))
            ON CONFLICT (projector) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
            """)
        connection.notifyAtCommit(channel: Self.notificationChannel, payload: String(position))
    }
}

/// A tally row changed by the batch at `position`.
public struct TallyChange: Sendable, Hashable {
    public var kind: TallyRow.Kind
    public var key: String
    public var position: Int64
}

/// Tally documents as of one checkpoint (see ``TallyStore/snapshot(kinds:keys:projector:)``).
public struct TallySnapshot: Sendable {
    /// A stored document: the fold's canonical document, the bytes the API serves.
    public struct Document: Sendable {
        public var kind: TallyRow.Kind
        public var key: String
        public var bytes: [UInt8]

        public init(kind: TallyRow.Kind, key: String, bytes: [UInt8]) {
            self.kind = kind
            self.key = key
            self.bytes = bytes
        }
    }

    /// The projector's checkpoint: the documents reflect every event up to this position.
    public var position: Int64
    public var documents: [Document]

    /// The documents of one kind, in key order.
    public func documents(_ kind: TallyRow.Kind) -> [Document] { documents.filter { $0.kind == kind } }

    /// The station summaries, in key order, each keyed by its station's code (its row's key also names the seat,
    /// ``StationSummary/key(seat:station:)``): those of one seat's snapshot, as its answer lists them.
    public var stationSummaries: [Document] {
        documents(.stationSummary).map { document in
            var summary = document
            if let station = StationSummary.station(ofKey: document.key) { summary.key = String(station) }
            return summary
        }
    }

    /// One document, if present.
    public func document(_ kind: TallyRow.Kind, _ key: String) -> Document? {
        documents.first { $0.kind == kind && $0.key == key }
    }
}
