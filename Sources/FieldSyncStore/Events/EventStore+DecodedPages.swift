import FieldSyncModel

extension EventStore {
    /// Reads the log after `position`, up to `last` (or to its end), page by page, and hands each page
    /// to `body` as the model's events, in position order.
    ///
    /// Reading, decoding and `body` overlap: PostgreSQL reads the next page while the one before is
    /// decoded (each row's hash recomputed) and `body` takes the one before that. At most three pages
    /// are held at once. A whole-log fold (a rebuild, a catch-up, a time-travel tally) is bound by
    /// reading and decoding, which take about as long as each other; done one after the other, they
    /// left the fold idle most of the time.
    ///
    /// With `columns` ``PageColumns/fold``, only the columns a fold reads come from PostgreSQL (every
    /// hash is still checked); the events have no signature, receipt time or chain link.
    public func forEachDecodedPage(
        after position: Int64 = 0, upTo last: Int64? = nil, pageSize: Int, columns: PageColumns = .all,
        isolation: isolated (any Actor)? = #isolation,
        _ body: ([StoredEvent]) throws -> Void
    ) async throws {
        enum Step: Sendable {
            case read(index: Int, limit: Int, ReadPage)
            case decoded(index: Int, [StoredEvent])
        }
        // A task group of its own rather than `concurrentMap`: the steps differ (a read waits on PostgreSQL,
        // a decode works on a core, `body` runs here), each page goes through them in turn, and how many
        // pages are in flight is bounded by what `body` has taken, not by the cores.
        try await withThrowingTaskGroup(of: Step.self) { group in
            var nextRead: Int64? = position
            var reading = false
            var readCount = 0
            var unfolded = 0
            var ready: [Int: [StoredEvent]] = [:]
            var handed = 0
            while true {
                if !reading, unfolded < 2, let after = nextRead {
                    let limit = last.map { Int(min(Int64(pageSize), $0 - after)) } ?? pageSize
                    if limit > 0 {
                        let index = readCount
                        readCount += 1
                        reading = true
                        group.addTask {
                            .read(index: index, limit: limit, try await self.page(after: after, limit: limit, columns))
                        }
                    } else {
                        nextRead = nil
                    }
                }
                guard let step = try await group.next() else { return }
                switch step {
                case .read(let index, let limit, let page):
                    reading = false
                    nextRead = page.count == limit ? try page.lastPosition() : nil
                    guard page.count > 0 else { continue }
                    unfolded += 1
                    group.addTask { .decoded(index: index, try page.decoded()) }
                case .decoded(let index, let page):
                    ready[index] = page
                    while let page = ready.removeValue(forKey: handed) {
                        try body(page)
                        handed += 1
                        unfolded -= 1
                    }
                }
            }
        }
    }

    /// Which columns of `events` a page of ``forEachDecodedPage(after:upTo:pageSize:columns:isolation:_:)``
    /// reads.
    public enum PageColumns: Sendable {
        /// Every column: the events as stored.
        case all
        /// Only those a fold reads and a hash is computed from: no signature (about a third of a small
        /// event's row), receipt time or chain link, which a fold never reads.
        case fold
    }

    /// A page as PostgreSQL returned it: its rows are turned into records where they are decoded, on a
    /// core of their own, not on the connection's thread while the next page waits.
    private struct ReadPage: Sendable {
        let rows: PostgresResult
        let columns: PageColumns

        var count: Int { rows.count }

        /// The position of the page's last row (the first column of either selection).
        func lastPosition() throws(PostgresError) -> Int64? {
            try rows.last?.decode(Int64.self, column: 0)
        }

        /// The model's events, each hash recomputed and checked.
        func decoded() throws -> [StoredEvent] {
            var scratch = [UInt8]()
            return try rows.map { row in
                switch columns {
                case .all: try StoredEvent(record: try StoredEventRecord(row: row), scratch: &scratch)
                case .fold: try StoredEvent(foldRow: row, scratch: &scratch)
                }
            }
        }
    }

    private func page(
        after position: Int64, meeting condition: SQL = "TRUE", limit: Int, _ columns: PageColumns
    ) async throws -> ReadPage {
        let selected =
            switch columns {
            case .all: Self.columns
            case .fold: Self.foldColumns
            }
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT \(unsafeRaw: selected) FROM events
                WHERE position > \(position) AND \(condition) ORDER BY position LIMIT \(limit)
                """, format: columns == .fold ? Self.foldFormat : .text)
        }
        return ReadPage(rows: rows, columns: columns)
    }

    /// Up to `limit` events after `position` whose rows meet `condition` (every event unless given), in
    /// position order, as a fold reads them: only ``foldColumns``, in ``foldFormat``, decoded on every core
    /// when there are many (``decode(foldRows:)``). A live projector's batch, a page of reference events, the
    /// events a tally as of a time folds after a snapshot.
    public func foldEvents(
        after position: Int64, meeting condition: SQL = "TRUE", limit: Int
    ) async throws -> [StoredEvent] {
        guard limit > 0 else { return [] }
        return try await Self.decode(
            foldRows: try await page(after: position, meeting: condition, limit: limit, .fold).rows)
    }

    /// The columns a fold reads, in the order ``FieldSyncModel/StoredEvent/init(foldRow:scratch:)`` reads
    /// them (public for the projector benchmark, which measures reading them alone).
    public static let foldColumns = """
        position, event_id, device_id, seq, type, subject, observed_time, payload, event_hash, prev_hash
        """

    /// The format a fold reads its columns in: binary, in which PostgreSQL writes the two hashes and the
    /// id as their bytes rather than hex and text, about a quarter less of its work for every event read.
    public static let foldFormat = PostgresResult.Format.binary

    /// Rows selected with ``foldColumns`` rebuilt into the model's events, each hash checked, on every
    /// core when there are many: a time-travel fold reads a share of stations (about 20,000 events) while
    /// it folds the share before, and decoding them on one core left the other idle a third of the time.
    package static func decode(foldRows rows: PostgresResult) async throws -> [StoredEvent] {
        let decoded = await rows.concurrentMapChunks(minimumChunk: 2_000) { chunk in
            var scratch = [UInt8]()
            return chunk.map { row in
                Result { () throws(any Error) -> StoredEvent in
                    try StoredEvent(foldRow: row, scratch: &scratch)
                }
            }
        }
        return try decoded.map { try $0.get() }
    }
}
