import FieldSyncModel

extension EventStore {
    /// Stores the subtrees that the events appended after the log at `head` complete (every parent they
    /// complete; a leaf's hash is made from its event's row) in the append's transaction (so under the
    /// append lock): a push's few in one INSERT, more by COPY. `chains` are the appended events' chain
    /// links, in order. The tree's right edge at `head` comes from ``treeFrontiers``
    /// when it is current there, else from the database; the edge after the batch is returned.
    func extendTree(
        after head: ChainHead, chains: [SHA256Digest], on connection: PostgresConnection
    ) async throws -> TreeFrontier {
        var frontier: TreeFrontier
        if let known = treeFrontiers.frontier(at: head) {
            frontier = known
        } else {
            let edge = TreeFrontier.subtrees(size: head.position)
            let hashes = try await Self.subtreeHashes(edge, on: connection)
            frontier = TreeFrontier(size: head.position, hashes: edge.map { hashes[$0]! })!
        }
        var completed: [(subtree: Subtree, hash: SHA256Digest)] = []
        for chain in chains {
            completed += frontier.append(leafHash: MerkleTree.leafHash(chain: chain)).dropFirst()
        }
        if completed.isEmpty { return frontier }
        if completed.count <= Self.nodesInsertedInOneStatement {
            // A push's few nodes: one round trip, where COPY takes two.
            try await connection.execute(
                """
                INSERT INTO tree_nodes (level, index, hash)
                SELECT * FROM unnest(
                    \(completed.map { Int64($0.subtree.level) })::smallint[],
                    \(completed.map(\.subtree.index))::bigint[], \(completed.map(\.hash))::bytea[])
                """)
            return frontier
        }
        var writer = PostgresCopyWriter(reservingCapacity: completed.count * 80)
        for (subtree, hash) in completed {
            writer.append(Int64(subtree.level))
            writer.append(subtree.index)
            writer.append(hash)
            writer.endRow()
        }
        try await connection.copy("COPY tree_nodes (level, index, hash) FROM STDIN", data: writer.data)
        return frontier
    }

    /// The most tree nodes an append writes with one INSERT; more go by COPY.
    static let nodesInsertedInOneStatement = 256

    /// The hashes of `subtrees`: leaves from their events' chain links, the others from `tree_nodes`, a query
    /// each; throws ``TreeNodesMissing`` unless every one is stored.
    static func subtreeHashes(
        _ subtrees: [Subtree], on connection: PostgresConnection
    ) async throws -> [Subtree: SHA256Digest] {
        var found: [Subtree: SHA256Digest] = [:]
        let leaves = subtrees.filter { $0.level == 0 }.map { $0.index + 1 }
        if !leaves.isEmpty {
            for row in try await connection.query(
                "SELECT position, chain_hash FROM events WHERE position = ANY(\(leaves)::bigint[])")
            {
                found[Subtree(level: 0, index: try row.decode(Int64.self, column: 0) - 1)] = MerkleTree.leafHash(
                    chain: try row.decode(column: 1))
            }
        }
        let nodes = subtrees.filter { $0.level > 0 }
        if !nodes.isEmpty {
            for row in try await connection.query(
                """
                SELECT t.level, t.index, t.hash
                FROM unnest(\(nodes.map(\.level))::smallint[], \(nodes.map(\.index))::bigint[]) AS s(level, index)
                JOIN tree_nodes t ON t.level = s.level AND t.index = s.index
                """)
            {
                found[Subtree(level: try row.decode(Int.self, column: 0), index: try row.decode(column: 1))] =
                    try row.decode(column: 2)
            }
        }
        let missing = subtrees.filter { found[$0] == nil }
        if !missing.isEmpty { throw TreeNodesMissing(subtrees: missing) }
        return found
    }

    /// The stored hashes of `subtrees`.
    func subtreeHashes(_ subtrees: [Subtree]) async throws -> [Subtree: SHA256Digest] {
        try await pool.withConnection { try await Self.subtreeHashes(subtrees, on: $0) }
    }

    /// The root of the tree of the first `size` events (at most as many as are stored).
    public func treeRoot(size: Int64) async throws -> SHA256Digest {
        // The edge this process's last append left, when it is of that size: what a batch's receipt asks.
        if let frontier = treeFrontiers.frontier(size: size) { return frontier.root }
        let range = Int64(0)..<size
        let hashes = try await subtreeHashes(MerkleTree.subtrees(of: range))
        return MerkleTree.hash(of: range) { hashes[$0]! }
    }

    /// The inclusion proof of the event at `position` in the tree of the first `size` events
    /// (1 ≤ `position` ≤ `size` ≤ the events stored).
    public func inclusionProof(position: Int64, size: Int64) async throws -> InclusionProof {
        let hashes = try await subtreeHashes(InclusionProof.subtrees(index: position - 1, size: size))
        return InclusionProof(index: position - 1, size: size) { hashes[$0]! }
    }

    /// The consistency proof from the tree of the first `from` events to that of the first `to`
    /// (1 ≤ `from` ≤ `to` ≤ the events stored).
    public func consistencyProof(from: Int64, to: Int64) async throws -> ConsistencyProof {
        let hashes = try await subtreeHashes(ConsistencyProof.subtrees(from: from, to: to))
        return ConsistencyProof(from: from, to: to) { hashes[$0]! }
    }
}
