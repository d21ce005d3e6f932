import FieldSyncModel

extension EventStore {
    /// Keeps a signed tree head, unless one of its size is already kept; returns the head kept for its size,
    /// which is the other when two signers raced (one head per size: see the migration).
    public func keep(_ head: StoredTreeHead) async throws -> StoredTreeHead {
        try await pool.withConnection { connection in
            // The head kept is the first signed at its size: this one, or another process's.
            let inserted = try await connection.query(
                """
                INSERT INTO tree_heads (size, root, signed_at, document)
                VALUES (\(head.head.size), \(head.head.root), \(head.head.time), \(head.document))
                ON CONFLICT (size) DO NOTHING RETURNING \(unsafeRaw: Self.treeHeadColumns)
                """
            ).first
            var kept = inserted
            if kept == nil {
                kept = try await connection.query(
                    "SELECT \(unsafeRaw: Self.treeHeadColumns) FROM tree_heads WHERE size = \(head.head.size)"
                ).first
            }
            return try Self.storedTreeHead(kept!)
        }
    }

    /// The latest signed tree head, the one of the largest size; nil before the first.
    public func latestTreeHead() async throws -> StoredTreeHead? {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT \(unsafeRaw: Self.treeHeadColumns) FROM tree_heads ORDER BY size DESC LIMIT 1"
            ).first.map(Self.storedTreeHead)
        }
    }

    /// The signed tree heads of sizes above `size`, smallest first, at most `limit`.
    public func treeHeads(after size: Int64, limit: Int) async throws -> [StoredTreeHead] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT \(unsafeRaw: Self.treeHeadColumns) FROM tree_heads WHERE size > \(size)
                ORDER BY size LIMIT \(limit)
                """
            ).map(Self.storedTreeHead)
        }
    }

    private static let treeHeadColumns = "size, root, signed_at, document"

    private static func storedTreeHead(_ row: PostgresRow) throws -> StoredTreeHead {
        StoredTreeHead(
            head: TreeHead(
                size: try row.decode(column: 0), root: try row.decode(column: 1), time: try row.decode(column: 2)),
            document: try row.decode(column: 3))
    }
}
