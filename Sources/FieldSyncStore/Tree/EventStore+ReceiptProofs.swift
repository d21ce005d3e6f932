import FieldSyncModel

extension EventStore {
    /// For each of `positions` (each from 1 to `size`, `size` at most the events stored), what a device
    /// needs to place its event there in the tree of the first `size` events: the received time, the chain
    /// link before it, and the inclusion proof; in the order of `positions`. Three queries however many.
    public func receiptLeaves(positions: [Int64], size: Int64) async throws -> [ReceiptProof.Leaf] {
        guard !positions.isEmpty else { return [] }
        let subtrees = Set(positions.flatMap { InclusionProof.subtrees(index: $0 - 1, size: size) })
        return try await pool.withConnection { connection in
            let hashes = try await Self.subtreeHashes(Array(subtrees), on: connection)
            var received = [Int64: Timestamp]()
            var chains: [Int64: SHA256Digest] = [0: GlobalChain.genesis]
            let wanted = Array(Set(positions + positions.map { $0 - 1 }.filter { $0 >= 1 }))
            for row in try await connection.query(
                "SELECT position, received_at, chain_hash FROM events WHERE position = ANY(\(wanted)::bigint[])")
            {
                let position: Int64 = try row.decode(column: 0)
                received[position] = try row.decode(column: 1)
                chains[position] = try row.decode(column: 2)
            }
            return try positions.map { position in
                guard let time = received[position], let previous = chains[position - 1] else {
                    throw TreeNodesMissing(subtrees: [Subtree(level: 0, index: position - 1)])
                }
                let proof = InclusionProof(index: position - 1, size: size) { hashes[$0]! }
                return ReceiptProof.Leaf(position: position, received: time, previous: previous, path: proof.path)
            }
        }
    }
}
