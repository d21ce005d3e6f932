import FieldSyncModel

extension EventStore {
    /// Appends a batch in one transaction and says what became of each event, in the batch's order.
    ///
    /// - An event already stored with the same content is a *duplicate*: nothing new is stored and its
    ///   position is returned. Sending a batch again is therefore always safe.
    /// - An event that contradicts the store (same id with other content, a taken sequence number, a
    ///   previous hash that is not its device's last hash) is a *conflict*: not stored, but recorded
    ///   in `event_conflicts`.
    /// - An event whose device's previous sequence number is not stored is a *gap*: not stored; the
    ///   outcome says which sequence number the store expects.
    ///
    /// Refused events never stop the others of the batch: every event gets its outcome. The appended ones
    /// commit together, with one notification on ``notificationChannel``.
    public func append(_ records: [EventRecord]) async throws -> AppendResult {
        guard !records.isEmpty else { return AppendResult(outcomes: [], head: try await head()) }
        return try await pool.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLockKey))")
            let received = Timestamp.now()
            let known = try await KnownState.load(for: records, on: connection)
            var plan = AppendPlan(known: known, received: received)
            for record in records { plan.add(record) }

            if !plan.appended.isEmpty {
                try await connection.copy(
                    "COPY events (\(unsafeRaw: Self.columns)) FROM STDIN", data: plan.copyData())
            }
            for conflict in plan.conflicts {
                try await Self.recordConflict(conflict.record, conflict.conflict, received: received, on: connection)
            }
            if !plan.appended.isEmpty {
                try await connection.query(
                    "SELECT pg_notify(\(Self.notificationChannel), \(String(plan.head.position)))")
            }
            return AppendResult(outcomes: plan.outcomes, head: plan.head)
        }
    }

    private static func recordConflict(
        _ record: EventRecord, _ conflict: AppendConflict, received: Timestamp, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO event_conflicts (received_at, reason, existing_position, event_id, device_id, seq, type,
                subject, observed_time, payload, event_hash, prev_hash, signature)
            VALUES (\(received), \(conflict.reason.rawValue), \(conflict.existingPosition), \(record.id)::uuid,
                \(record.deviceID), \(record.sequence), \(record.type), \(record.subject), \(record.time),
                \(record.payload)::jsonb, \(record.hash), \(record.previousHash), \(ByteA(record.signature)))
            """)
    }
}

/// What the store already holds that a batch could collide with, read under the append lock.
struct KnownState {
    struct StoredIdentity {
        var position: Int64
        var deviceID: String
        var sequence: Int64
        var hash: SHA256Digest
        var signature: [UInt8]
    }

    struct Slot: Hashable {
        var deviceID: String
        var sequence: Int64
    }

    var head: ChainHead
    var byID: [String: StoredIdentity]
    var deviceHeads: [String: DeviceHead]
    /// Positions of stored events in slots the batch also claims with other ids.
    var takenSlots: [Slot: Int64]

    static func load(for records: [EventRecord], on connection: PostgresConnection) async throws -> KnownState {
        let last = try await connection.query(
            "SELECT position, chain_hash FROM events ORDER BY position DESC LIMIT 1")
        let head =
            try last.first.map {
                ChainHead(position: try $0.decode(Int64.self, column: 0), chain: try $0.decode(column: 1))
            } ?? .empty

        let ids = Array(Set(records.map(\.id)))
        var byID: [String: StoredIdentity] = [:]
        for row in try await connection.query(
            """
            SELECT event_id, position, device_id, seq, event_hash, signature
            FROM events WHERE event_id = ANY(\(ids)::uuid[])
            """)
        {
            byID[try row.decode(String.self, column: 0)] = StoredIdentity(
                position: try row.decode(column: 1), deviceID: try row.decode(column: 2),
                sequence: try row.decode(column: 3), hash: try row.decode(column: 4),
                signature: try row.decode(ByteA.self, column: 5).bytes)
        }

        let devices = Array(Set(records.map(\.deviceID)))
        var deviceHeads: [String: DeviceHead] = [:]
        for row in try await connection.query(
            """
            SELECT d.device_id, e.seq, e.event_hash, e.position
            FROM unnest(\(devices)::text[]) AS d(device_id)
            CROSS JOIN LATERAL (
                SELECT seq, event_hash, position FROM events
                WHERE events.device_id = d.device_id ORDER BY seq DESC LIMIT 1
            ) AS e
            """)
        {
            deviceHeads[try row.decode(String.self, column: 0)] = DeviceHead(
                sequence: try row.decode(column: 1), hash: try row.decode(column: 2), position: try row.decode(column: 3))
        }

        // Only events that are not stored under their id but claim a sequence number at or below
        // their device's head can collide with another event's slot.
        let claims = records.filter { record in
            byID[record.id] == nil && record.sequence <= (deviceHeads[record.deviceID]?.sequence ?? 0)
        }
        var takenSlots: [Slot: Int64] = [:]
        if !claims.isEmpty {
            for row in try await connection.query(
                """
                SELECT e.device_id, e.seq, e.position
                FROM unnest(\(claims.map(\.deviceID))::text[], \(claims.map(\.sequence))::bigint[]) AS c(device_id, seq)
                JOIN events e ON e.device_id = c.device_id AND e.seq = c.seq
                """)
            {
                takenSlots[Slot(deviceID: try row.decode(column: 0), sequence: try row.decode(column: 1))] =
                    try row.decode(column: 2)
            }
        }
        return KnownState(head: head, byID: byID, deviceHeads: deviceHeads, takenSlots: takenSlots)
    }
}

/// Decides each event's outcome against what is stored and what the batch has appended so far, and
/// lays out the appended events' positions and chain links.
struct AppendPlan {
    private var known: KnownState
    private let received: Timestamp
    private(set) var head: ChainHead
    private(set) var outcomes: [AppendOutcome] = []
    private(set) var appended: [StoredEventRecord] = []
    private(set) var conflicts: [(record: EventRecord, conflict: AppendConflict)] = []

    init(known: KnownState, received: Timestamp) {
        self.known = known
        self.received = received
        self.head = known.head
    }

    mutating func add(_ record: EventRecord) {
        let outcome = decide(record)
        outcomes.append(outcome)
        if case .conflict(let conflict) = outcome { conflicts.append((record, conflict)) }
    }

    private mutating func decide(_ record: EventRecord) -> AppendOutcome {
        if let stored = known.byID[record.id] {
            let same =
                stored.hash == record.hash && stored.signature == record.signature
                && stored.deviceID == record.deviceID && stored.sequence == record.sequence
            return same
                ? .duplicate(position: stored.position)
                : .conflict(AppendConflict(reason: .sameIDOtherContent, existingPosition: stored.position))
        }
        let deviceHead = known.deviceHeads[record.deviceID]
        let lastSequence = deviceHead?.sequence ?? 0
        if record.sequence <= lastSequence {
            let slot = KnownState.Slot(deviceID: record.deviceID, sequence: record.sequence)
            return .conflict(AppendConflict(reason: .sequenceTaken, existingPosition: known.takenSlots[slot]))
        }
        if record.sequence > lastSequence + 1 {
            return .gap(expectedSequence: lastSequence + 1)
        }
        let expectedPrevious = deviceHead?.hash ?? GlobalChain.genesis
        guard record.previousHash == expectedPrevious else {
            return .conflict(AppendConflict(reason: .chainMismatch, existingPosition: deviceHead?.position))
        }

        let position = head.position + 1
        let chain = GlobalChain.link(
            previous: head.chain, position: position, eventHash: record.hash, received: received,
            signature: record.signature)
        head = ChainHead(position: position, chain: chain)
        appended.append(StoredEventRecord(record: record, position: position, received: received, chain: chain))
        known.byID[record.id] = KnownState.StoredIdentity(
            position: position, deviceID: record.deviceID, sequence: record.sequence, hash: record.hash,
            signature: record.signature)
        known.deviceHeads[record.deviceID] = DeviceHead(sequence: record.sequence, hash: record.hash, position: position)
        known.takenSlots[KnownState.Slot(deviceID: record.deviceID, sequence: record.sequence)] = position
        return .appended(position: position)
    }

    /// The appended events as `COPY` text rows, in the column order of ``EventStore/columns``.
    func copyData() -> [UInt8] {
        var writer = PostgresCopyWriter(reservingCapacity: appended.count * 700)
        for event in appended {
            let record = event.record
            writer.append(event.position)
            writer.append(record.id)
            writer.append(record.deviceID)
            writer.append(record.sequence)
            writer.append(record.type)
            writer.append(record.subject)
            writer.append(record.station)
            writer.append(record.time)
            writer.append(record.observedAt)
            writer.append(event.received)
            writer.append(record.payload)
            writer.append(record.hash)
            writer.append(record.previousHash)
            writer.append(ByteA(record.signature))
            writer.append(event.chain)
            writer.endRow()
        }
        return writer.data
    }
}
