import FieldSyncModel

extension EventStore {
    /// Appends a batch in one transaction and says what became of each event, in the batch's order.
    ///
    /// - An event already stored with the same content is a *duplicate*: nothing new is stored and its
    ///   position is returned. Sending a batch again is therefore always safe.
    /// - An event that contradicts the store (same id with other content, a taken sequence number, a
    ///   previous hash that is not its device's last hash) is a *conflict*: not stored, but recorded
    ///   in `event_conflicts` — unless its device already has `conflictsKeptPerDevice` recorded there:
    ///   then it is a conflict all the same, only not recorded (``AppendResult/conflictsNotRecorded``).
    /// - An event whose device's previous sequence number is not stored is a *gap*: not stored; the
    ///   outcome says which sequence number the store expects.
    ///
    /// Refused events never stop the others of the batch: every event gets its outcome. The appended ones
    /// commit together, with one notification on ``notificationChannel``.
    ///
    /// **Revocation.** A batch with an event of a revoked device (one the log holds a
    /// `fieldsync.device.revoked.v1` for) is refused whole with ``DevicesRevoked``, and nothing of it is
    /// stored. The check runs under the append lock, in the batch's transaction, so that no event is ever
    /// stored at a position after its device's revocation, whoever appended that and whenever the caller
    /// last looked.
    public func append(_ records: [EventRecord], conflictsKeptPerDevice: Int? = nil) async throws -> AppendResult {
        guard !records.isEmpty else { return AppendResult(outcomes: [], head: try await head()) }
        return try await append(records, conflictsKeptPerDevice: conflictsKeptPerDevice) { _, _ in }.result
    }

    /// Appends a batch as ``append(_:conflictsKeptPerDevice:)`` does, then runs `beforeCommit` in the same
    /// transaction, under the append lock: what it writes commits with the events, and when it throws
    /// nothing of the batch is stored (nor any conflict recorded) and its error is thrown. It may run
    /// twice (an id used by another device's event makes the append look again).
    public func append<Value: Sendable>(
        _ records: [EventRecord], conflictsKeptPerDevice: Int? = nil,
        beforeCommit: (PostgresConnection, AppendResult) async throws -> Value
    ) async throws -> (result: AppendResult, value: Value) {
        // The columns that do not depend on the store's state are written before taking the lock.
        let rows = records.map(AppendPlan.fixedColumns)
        do {
            return try await append(
                records, rows: rows, checkEveryID: false, conflictsKept: conflictsKeptPerDevice,
                beforeCommit: beforeCommit)
        } catch let error as PostgresError where error.isUniqueViolation {
            // An event reused the id of a stored event of another device or sequence number, which only a
            // lookup of every id finds: do the batch again, looking up every id.
            deviceHeads.clear()
            treeFrontiers.clear()
            return try await append(
                records, rows: rows, checkEveryID: true, conflictsKept: conflictsKeptPerDevice,
                beforeCommit: beforeCommit)
        } catch {
            deviceHeads.clear()
            treeFrontiers.clear()
            throw error
        }
    }

    private func append<Value: Sendable>(
        _ records: [EventRecord], rows: [[UInt8]], checkEveryID: Bool, conflictsKept: Int?,
        beforeCommit: (PostgresConnection, AppendResult) async throws -> Value
    ) async throws -> (result: AppendResult, value: Value) {
        let appended: (result: AppendResult, value: Value) = try await pool.withTransaction(
            holdingLock: Self.appendLockKey
        ) { connection in
            let received = Timestamp.now()
            let known = try await KnownState.load(
                for: records, on: connection, cache: deviceHeads, checkEveryID: checkEveryID)
            var plan = AppendPlan(known: known, received: received)
            for record in records { plan.add(record) }

            var frontier: TreeFrontier?
            if !plan.appended.isEmpty {
                try await connection.copy(
                    "COPY events (\(unsafeRaw: AppendPlan.copyColumns)) FROM STDIN", data: plan.copyData(rows: rows))
                if keepsTree {
                    frontier = try await extendTree(
                        after: known.head, chains: plan.appended.map(\.chain), on: connection)
                }
            }
            let recorded = try await Self.conflictsToRecord(
                plan.conflicts, of: records, kept: conflictsKept, on: connection)
            for conflict in recorded {
                try await Self.recordConflict(
                    records[conflict.index], conflict.conflict, received: received, on: connection)
            }
            if !plan.appended.isEmpty {
                connection.notifyAtCommit(channel: Self.notificationChannel, payload: String(plan.head.position))
            }
            let result = AppendResult(
                outcomes: plan.outcomes, head: plan.head, conflictsNotRecorded: plan.conflicts.count - recorded.count)
            let value = try await beforeCommit(connection, result)
            // Safe before the commit: should it fail, the database's head will not match this one.
            deviceHeads.record(plan.deviceHeads, at: plan.head)
            if let frontier { treeFrontiers.record(frontier, at: plan.head) }
            return (result, value)
        }
        committedHead.record(appended.result.head.position)
        return appended
    }

    /// Throws ``DevicesRevoked`` naming the devices among `devices` whose revocation the log holds.
    static func refuseRevoked(_ devices: Set<String>, on connection: PostgresConnection) async throws {
        let revoked = try await connection.query(
            """
            SELECT DISTINCT subject FROM events
            WHERE type = \(EventType.deviceRevoked.rawValue) AND subject = ANY(\(Array(devices))::text[])
            """
        ).map { try $0.decode(String.self, column: 0) }
        if !revoked.isEmpty { throw DevicesRevoked(devices: revoked.sorted()) }
    }

    /// The conflicts of a batch that are recorded: all of them with no limit; otherwise, for each device,
    /// only as many as keep its recorded conflicts within `kept`, in the batch's order.
    private static func conflictsToRecord(
        _ conflicts: [(index: Int, conflict: AppendConflict)], of records: [EventRecord], kept: Int?,
        on connection: PostgresConnection
    ) async throws -> [(index: Int, conflict: AppendConflict)] {
        guard let kept, !conflicts.isEmpty else { return conflicts }
        let devices = Array(Set(conflicts.map { records[$0.index].deviceID }))
        var room = [String: Int]()
        for row in try await connection.query(
            """
            SELECT d.device_id, (SELECT count(*) FROM event_conflicts c WHERE c.device_id = d.device_id)
            FROM unnest(\(devices)::text[]) AS d(device_id)
            """)
        {
            room[try row.decode(String.self, column: 0)] = max(0, kept - Int(try row.decode(Int64.self, column: 1)))
        }
        return conflicts.filter { conflict in
            let device = records[conflict.index].deviceID
            guard let left = room[device], left > 0 else { return false }
            room[device] = left - 1
            return true
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
    /// The head of every device of the batch; sequence 0 for a device with nothing stored.
    var deviceHeads: [String: DeviceHead]
    /// Positions of stored events in slots the batch also claims with other ids.
    var takenSlots: [Slot: Int64]

    /// Reads what the batch needs: the global head; each device's head (from `cache` when it is current);
    /// the stored events whose ids the batch uses — only for events at or below their device's head,
    /// the only ones that can be duplicates, unless `checkEveryID`; and the slots such events claim.
    /// Throws ``DevicesRevoked`` first when the log holds a revocation of a device of the batch.
    static func load(
        for records: [EventRecord], on connection: PostgresConnection, cache: DeviceHeadCache, checkEveryID: Bool
    ) async throws -> KnownState {
        // The head, and whether any device of the batch is revoked, in one round trip: the second on the
        // index of events by type, which holds as many revocations as there ever were.
        let devices = Set(records.map(\.deviceID))
        let first = try await connection.query(
            """
            SELECT last.position, last.chain_hash, EXISTS (
                SELECT 1 FROM events
                WHERE type = \(EventType.deviceRevoked.rawValue) AND subject = ANY(\(Array(devices))::text[])
            )
            FROM (VALUES (1)) AS one (x)
            LEFT JOIN LATERAL (SELECT position, chain_hash FROM events ORDER BY position DESC LIMIT 1) AS last ON true
            """
        ).first!
        if try first.decode(Bool.self, column: 2) { try await EventStore.refuseRevoked(devices, on: connection) }
        let head =
            try first.decode(Int64?.self, column: 0).map {
                ChainHead(position: $0, chain: try first.decode(column: 1))
            } ?? .empty

        var deviceHeads = cache.heads(for: devices, at: head)
        let unknown = Array(devices.subtracting(deviceHeads.keys))
        if !unknown.isEmpty {
            for device in unknown { deviceHeads[device] = DeviceHead(seq: 0, hash: GlobalChain.genesis, position: 0) }
            for row in try await connection.query(
                """
                SELECT d.device_id, e.seq, e.event_hash, e.position
                FROM unnest(\(unknown)::text[]) AS d(device_id)
                CROSS JOIN LATERAL (
                    SELECT seq, event_hash, position FROM events
                    WHERE events.device_id = d.device_id ORDER BY seq DESC LIMIT 1
                ) AS e
                """)
            {
                deviceHeads[try row.decode(String.self, column: 0)] = DeviceHead(
                    seq: try row.decode(column: 1), hash: try row.decode(column: 2),
                    position: try row.decode(column: 3))
            }
        }

        let reused = records.filter { checkEveryID || $0.sequence <= deviceHeads[$0.deviceID]!.seq }
        var byID: [String: StoredIdentity] = [:]
        if !reused.isEmpty {
            for row in try await connection.query(
                """
                SELECT event_id, position, device_id, seq, event_hash, signature
                FROM events WHERE event_id = ANY(\(Array(Set(reused.map(\.id))))::uuid[])
                """)
            {
                byID[try row.decode(String.self, column: 0)] = StoredIdentity(
                    position: try row.decode(column: 1), deviceID: try row.decode(column: 2),
                    sequence: try row.decode(column: 3), hash: try row.decode(column: 4),
                    signature: try row.decode(ByteA.self, column: 5).bytes)
            }
        }

        // Events not stored under their id that claim a sequence number at or below their device's head
        // collide with another event's slot.
        let claims = reused.filter { byID[$0.id] == nil && $0.sequence <= deviceHeads[$0.deviceID]!.seq }
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
    struct Appended {
        var index: Int
        var position: Int64
        var chain: SHA256Digest
    }

    private var known: KnownState
    private let received: Timestamp
    private(set) var head: ChainHead
    private(set) var outcomes: [AppendOutcome] = []
    private(set) var appended: [Appended] = []
    private(set) var conflicts: [(index: Int, conflict: AppendConflict)] = []

    init(known: KnownState, received: Timestamp) {
        self.known = known
        self.received = received
        self.head = known.head
    }

    /// Every device head of the batch as it stands after the batch.
    var deviceHeads: [String: DeviceHead] { known.deviceHeads }

    mutating func add(_ record: EventRecord) {
        let outcome = decide(record, index: outcomes.count)
        if case .conflict(let conflict) = outcome { conflicts.append((outcomes.count, conflict)) }
        outcomes.append(outcome)
    }

    private mutating func decide(_ record: EventRecord, index: Int) -> AppendOutcome {
        if let stored = known.byID[record.id] {
            let same =
                stored.hash == record.hash && stored.signature == record.signature
                && stored.deviceID == record.deviceID && stored.sequence == record.sequence
            return same
                ? .duplicate(position: stored.position)
                : .conflict(AppendConflict(reason: .sameIDOtherContent, existingPosition: stored.position))
        }
        let deviceHead = known.deviceHeads[record.deviceID]!
        if record.sequence <= deviceHead.seq {
            let slot = KnownState.Slot(deviceID: record.deviceID, sequence: record.sequence)
            return .conflict(AppendConflict(reason: .sequenceTaken, existingPosition: known.takenSlots[slot]))
        }
        if record.sequence > deviceHead.seq + 1 {
            return .gap(expectedSequence: deviceHead.seq + 1)
        }
        guard record.previousHash == deviceHead.hash else {
            return .conflict(
                AppendConflict(
                    reason: .chainMismatch, existingPosition: deviceHead.position > 0 ? deviceHead.position : nil))
        }

        let position = head.position + 1
        let chain = GlobalChain.link(
            previous: head.chain, position: position, eventHash: record.hash, received: received,
            signature: record.signature)
        head = ChainHead(position: position, chain: chain)
        appended.append(Appended(index: index, position: position, chain: chain))
        known.byID[record.id] = KnownState.StoredIdentity(
            position: position, deviceID: record.deviceID, sequence: record.sequence, hash: record.hash,
            signature: record.signature)
        known.deviceHeads[record.deviceID] = DeviceHead(seq: record.sequence, hash: record.hash, position: position)
        known.takenSlots[KnownState.Slot(deviceID: record.deviceID, sequence: record.sequence)] = position
        return .appended(position: position)
    }

    /// The COPY columns: first those fixed by the event itself, then those the store assigns.
    static let copyColumns = """
        event_id, device_id, seq, type, subject, station, observed_time, observed_at, payload, event_hash,
        prev_hash, signature, position, received_at, chain_hash
        """

    /// The columns of one row that the event alone determines, as COPY text ending in a tab.
    static func fixedColumns(of record: EventRecord) -> [UInt8] {
        var writer = PostgresCopyWriter(reservingCapacity: record.payload.utf8.count + 400)
        writer.append(record.id)
        writer.append(record.deviceID)
        writer.append(record.sequence)
        writer.append(record.type)
        writer.append(record.subject)
        writer.append(record.station)
        writer.append(record.time)
        writer.append(record.observedAt)
        writer.append(record.payload)
        writer.append(record.hash)
        writer.append(record.previousHash)
        writer.append(ByteA(record.signature))
        return writer.data
    }

    /// The appended events as COPY text, in the order of ``copyColumns``.
    func copyData(rows: [[UInt8]]) -> [UInt8] {
        var writer = PostgresCopyWriter(reservingCapacity: appended.reduce(0) { $0 + rows[$1.index].count + 120 })
        var receivedText = PostgresCopyWriter()
        receivedText.append(received)
        for event in appended {
            writer.appendRaw(rows[event.index])
            writer.append(event.position)
            writer.appendRaw(receivedText.data, separated: true)
            writer.append(event.chain)
            writer.endRow()
        }
        return writer.data
    }
}
