import FieldSyncModel

/// The append-only event log in PostgreSQL.
///
/// **Reading order.** Appends take one transaction-scoped advisory lock (the *append lock*) before they
/// choose positions, and hold it until they commit. PostgreSQL makes a transaction visible before it
/// releases its locks, so a batch's positions are only handed out once every lower position is already
/// visible. A reader that pages through `position > n` in order therefore never skips an event that
/// commits later. The same lock makes positions gapless and lets the append compute the global chain.
public struct EventStore: Sendable {
    public let pool: PostgresPool
    /// Device heads remembered between appends; see ``DeviceHeadCache``.
    let deviceHeads = DeviceHeadCache()
    /// Whether appends keep the Merkle tree (`tree_nodes`). Always, but for the benchmark that measures what
    /// keeping it costs: without it, roots and proofs of the events appended cannot be made.
    package let keepsTree: Bool
    /// The Merkle tree's right edge remembered between appends; see ``TreeFrontierCache``.
    let treeFrontiers = TreeFrontierCache()
    /// The highest position this store's appends committed; see ``lastCommittedPosition``.
    let committedHead = CommittedHead()

    /// The highest position an append of this store (this process's) has committed, 0 before the first: a
    /// size the log is known to hold without asking the database. Other processes may have appended more.
    public var lastCommittedPosition: Int64 { committedHead.position }

    /// The channel on which every committed batch sends one notification; its payload is the last position.
    public static let notificationChannel = "fieldsync_events"

    /// An arbitrary constant naming the append lock among the database's advisory locks.
    static let appendLockKey: Int64 = 0x6669_656c_6461_7070

    /// The columns of `events`, in the order ``StoredEventRecord/init(row:)`` reads them.
    package static let columns = """
        position, event_id, device_id, seq, type, subject, station, observed_time, observed_at, received_at,
        payload, event_hash, prev_hash, signature, chain_hash
        """

    public init(pool: PostgresPool) {
        self.init(pool: pool, keepsTree: true)
    }

    /// A store whose appends keep the Merkle tree or, for a benchmark only, do not.
    package init(pool: PostgresPool, keepsTree: Bool) {
        self.pool = pool
        self.keepsTree = keepsTree
    }
}

extension StoredEventRecord {
    /// Reads a row selected with ``EventStore/columns``.
    package init(row: PostgresRow) throws(PostgresError) {
        self.init(
            record: EventRecord(
                id: try row.decode(String.self, column: 1),
                deviceID: try row.decode(String.self, column: 2),
                sequence: try row.decode(Int64.self, column: 3),
                type: try row.decode(String.self, column: 4),
                subject: try row.decode(String.self, column: 5),
                station: try row.decode(String?.self, column: 6),
                time: try row.decode(String.self, column: 7),
                observedAt: try row.decode(Timestamp.self, column: 8),
                payload: try row.decode(String.self, column: 10),
                hash: try row.decode(SHA256Digest.self, column: 11),
                previousHash: try row.decode(SHA256Digest.self, column: 12),
                signature: try row.decode(ByteA.self, column: 13).bytes),
            position: try row.decode(Int64.self, column: 0),
            received: try row.decode(Timestamp.self, column: 9),
            chain: try row.decode(SHA256Digest.self, column: 14))
    }
}
