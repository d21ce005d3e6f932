import FieldSyncModel

/// Registering a witness whose name or key is already registered.
public struct WitnessAlreadyRegistered: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension EventStore {
    /// Registers a witness's key under `name`; refuses a name or key already registered.
    @discardableResult
    public func addWitness(name: String, key: PublicKey) async throws -> RegisteredWitness {
        try await pool.withConnection { connection in
            let earlier = try await connection.query(
                """
                SELECT name, public_key FROM witnesses
                WHERE name = \(name) OR public_key = \(ByteA(key.rawRepresentation))
                """)
            if let row = earlier.first {
                let (known, raw): (String, ByteA) = (try row.decode(column: 0), try row.decode(column: 1))
                throw WitnessAlreadyRegistered(
                    description: raw.bytes == key.rawRepresentation
                        ? "this key is already registered as witness \"\(known)\""
                        : "a witness named \"\(known)\" is already registered with another key")
            }
            let rows = try await connection.query(
                """
                INSERT INTO witnesses (public_key, name) VALUES (\(ByteA(key.rawRepresentation)), \(name))
                RETURNING added_at
                """)
            return RegisteredWitness(name: name, key: key, added: try rows.first!.decode(column: 0))
        }
    }

    /// Every registered witness, in the order they were added.
    public func witnesses() async throws -> [RegisteredWitness] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT name, public_key, added_at FROM witnesses ORDER BY added_at, name")
                .map { row in
                    RegisteredWitness(
                        name: try row.decode(column: 0),
                        key: try PublicKey(rawRepresentation: try row.decode(ByteA.self, column: 1).bytes),
                        added: try row.decode(column: 2))
                }
        }
    }

    /// The name of the witness registered with `key`; nil when none is.
    public func witnessName(_ key: PublicKey) async throws -> String? {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT name FROM witnesses WHERE public_key = \(ByteA(key.rawRepresentation))"
            ).first?.decode(column: 0)
        }
    }

    /// The kept tree head of `size`; nil when the server signed none of that size.
    public func treeHead(size: Int64) async throws -> StoredTreeHead? {
        try await treeHeads(after: size - 1, limit: 1).first { $0.head.size == size }
    }

    /// Keeps a registered witness's cosignature of the kept head of `size`, unless it has one already;
    /// whether it was new.
    @discardableResult
    public func keepCosignature(size: Int64, witness: PublicKey, document: String) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO tree_cosignatures (size, witness, document)
                VALUES (\(size), \(ByteA(witness.rawRepresentation)), \(document))
                ON CONFLICT (size, witness) DO NOTHING RETURNING size
                """
            ).count == 1
        }
    }

    /// The cosignatures kept of the heads of `sizes`, by size, each list in the order received.
    public func cosignatures(of sizes: [Int64]) async throws -> [Int64: [String]] {
        guard !sizes.isEmpty else { return [:] }
        return try await pool.withConnection { connection in
            var found: [Int64: [String]] = [:]
            for row in try await connection.query(
                """
                SELECT size, document FROM tree_cosignatures WHERE size = ANY(\(sizes)::bigint[])
                ORDER BY size, received_at, witness
                """)
            {
                found[try row.decode(column: 0), default: []].append(try row.decode(column: 1))
            }
            return found
        }
    }

    /// How many different witnesses cosigned a head of `size` events or more, and the largest such head
    /// (nil when none did): how many vouch for the log up to `size`.
    public func witnessCount(covering size: Int64) async throws -> (witnesses: Int, head: Int64?) {
        try await pool.withConnection { connection in
            let row = try await connection.query(
                "SELECT count(DISTINCT witness), max(size) FROM tree_cosignatures WHERE size >= \(size)"
            ).first!
            return (try row.decode(Int.self, column: 0), try row.decode(Int64?.self, column: 1))
        }
    }

    /// Keeps two signed heads of one size with different roots as a split view, unless that pair is kept
    /// already; whether it was new.
    @discardableResult
    public func keepSplitView(_ first: StoredTreeHead, _ second: StoredTreeHead) async throws -> Bool {
        let (low, high) = first.head.root.hex < second.head.root.hex ? (first, second) : (second, first)
        return try await pool.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO split_views (size, first_root, second_root, first_document, second_document)
                VALUES (\(low.head.size), \(low.head.root), \(high.head.root), \(low.document), \(high.document))
                ON CONFLICT DO NOTHING RETURNING size
                """
            ).count == 1
        }
    }

    /// Every split view kept, in the order found.
    public func splitViews() async throws -> [SplitView] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT size, first_document, second_document, found_at FROM split_views
                ORDER BY found_at, size, first_root
                """
            ).map { row in
                SplitView(
                    size: try row.decode(column: 0),
                    documents: [try row.decode(column: 1), try row.decode(column: 2)],
                    found: try row.decode(column: 3))
            }
        }
    }
}
