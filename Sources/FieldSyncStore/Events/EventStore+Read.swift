import FieldSyncModel

extension EventStore {
    /// The global chain's head: the last position and its link.
    public func head() async throws -> ChainHead {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                "SELECT position, chain_hash FROM events ORDER BY position DESC LIMIT 1")
            guard let row = rows.first else { return .empty }
            return ChainHead(position: try row.decode(column: 0), chain: try row.decode(column: 1))
        }
    }

    /// The last event the store holds of a device, or nil if it holds none.
    public func deviceHead(_ deviceID: String) async throws -> DeviceHead? {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT seq, event_hash, position FROM events
                WHERE device_id = \(deviceID) ORDER BY seq DESC LIMIT 1
                """)
            guard let row = rows.first else { return nil }
            return DeviceHead(
                seq: try row.decode(column: 0), hash: try row.decode(column: 1), position: try row.decode(column: 2))
        }
    }

    /// Up to `limit` events after a position, in position order.
    public func events(after position: Int64, limit: Int = 1000) async throws -> [StoredEventRecord] {
        try await read(
            "SELECT \(unsafeRaw: Self.columns) FROM events WHERE position > \(position) ORDER BY position LIMIT \(limit)")
    }

    /// Up to `limit` events of one device after a sequence number, in sequence order.
    public func events(device deviceID: String, afterSequence sequence: Int64 = 0, limit: Int = 1000) async throws
        -> [StoredEventRecord]
    {
        try await read(
            """
            SELECT \(unsafeRaw: Self.columns) FROM events
            WHERE device_id = \(deviceID) AND seq > \(sequence) ORDER BY seq LIMIT \(limit)
            """)
    }

    /// Up to `limit` events about one polling station after a position, in position order.
    public func events(station: String, after position: Int64 = 0, limit: Int = 1000) async throws
        -> [StoredEventRecord]
    {
        try await read(
            """
            SELECT \(unsafeRaw: Self.columns) FROM events
            WHERE station = \(station) AND position > \(position) ORDER BY position LIMIT \(limit)
            """)
    }

    /// Up to `limit` events of the given types after a position, in position order.
    public func events(types: [String], after position: Int64 = 0, limit: Int = 1000) async throws
        -> [StoredEventRecord]
    {
        try await read(
            """
            SELECT \(unsafeRaw: Self.columns) FROM events
            WHERE type = ANY(\(types)::text[]) AND position > \(position) ORDER BY position LIMIT \(limit)
            """)
    }

    /// The stored events of one type about one subject (a device's assignments, say), in position order.
    public func events(type: String, subject: String) async throws -> [StoredEventRecord] {
        try await read(
            """
            SELECT \(unsafeRaw: Self.columns) FROM events
            WHERE type = \(type) AND subject = \(subject) ORDER BY position
            """)
    }

    /// The stored events with these ids (lowercase UUIDs), in position order; ids not stored are left out.
    public func events(ids: [String]) async throws -> [StoredEventRecord] {
        guard !ids.isEmpty else { return [] }
        return try await read(
            "SELECT \(unsafeRaw: Self.columns) FROM events WHERE event_id = ANY(\(ids)::uuid[]) ORDER BY position")
    }

    /// Every event after a position, in order, read a page at a time: memory stays bounded by the page
    /// size however long the log, and events committed while reading are included.
    public func stream(after position: Int64 = 0, until last: Int64? = nil, pageSize: Int = 1000) -> EventStream {
        EventStream(store: self, after: position, until: last, pageSize: pageSize)
    }

    /// The conflicts recorded for a device, newest first.
    public func conflicts(device deviceID: String, limit: Int = 100) async throws -> [RecordedConflict] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT event_id, seq, reason, existing_position, received_at FROM event_conflicts
                WHERE device_id = \(deviceID) ORDER BY id DESC LIMIT \(limit)
                """
            ).map { row in
                RecordedConflict(
                    eventID: try row.decode(column: 0), deviceID: deviceID, sequence: try row.decode(column: 1),
                    reason: AppendConflict.Reason(rawValue: try row.decode(column: 2)) ?? .sameIDOtherContent,
                    existingPosition: try row.decode(Int64?.self, column: 3), received: try row.decode(column: 4))
            }
        }
    }

    private func read(_ sql: SQL) async throws -> [StoredEventRecord] {
        try await pool.withConnection { connection in
            try await connection.query(sql).map { try StoredEventRecord(row: $0) }
        }
    }
}

/// A refused event, as recorded in `event_conflicts`.
public struct RecordedConflict: Sendable, Equatable {
    public var eventID: String
    public var deviceID: String
    public var sequence: Int64
    public var reason: AppendConflict.Reason
    public var existingPosition: Int64?
    public var received: Timestamp
}

/// Events in position order, fetched a page at a time.
public struct EventStream: AsyncSequence, Sendable {
    public typealias Element = StoredEventRecord
    let store: EventStore
    let after: Int64
    let until: Int64?
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(stream: self, position: after)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let stream: EventStream
        var position: Int64
        var page: [StoredEventRecord] = []
        var index = 0
        var finished = false

        init(stream: EventStream, position: Int64) {
            self.stream = stream
            self.position = position
        }

        public mutating func next() async throws -> StoredEventRecord? {
            if index == page.count {
                guard !finished else { return nil }
                page = try await stream.store.events(after: position, limit: stream.pageSize)
                index = 0
                if let last = stream.until { page.removeAll { $0.position > last } }
                if page.count < stream.pageSize { finished = true }
                guard !page.isEmpty else { return nil }
            }
            let event = page[index]
            index += 1
            position = event.position
            return event
        }
    }
}
