import FieldSyncModel

extension EventStore {
    /// The ranges of a receipt's `positions` (in its order, each from 1 to `size`, `size` at most the events
    /// stored), cut as ``ReceiptProof/PositionRange/runs(positions:received:)`` says, each with what a
    /// device needs to place its events there in the tree of the first `size` events: the received time,
    /// the chain link before the range, and the range proof.
    ///
    /// One statement for a batch's own events, which are consecutive and received together: the hashes
    /// their proofs need are asked for with the events, as if every run of consecutive positions were one;
    /// a run that received times cut (earlier events sent again) asks a second for what else it needs.
    public func receiptRanges(positions: [Int64], size: Int64) async throws -> [ReceiptProof.PositionRange] {
        guard !positions.isEmpty else { return [] }
        let together = ReceiptProof.PositionRange.runs(
            positions: positions, received: Array(repeating: Timestamp(microseconds: 0), count: positions.count))
        let guessed = Set(together.flatMap { Self.proofSubtrees(of: $0, size: size) })
        let leaves = guessed.filter { $0.level == 0 }.map { $0.index + 1 }
        let nodes = guessed.filter { $0.level > 0 }
        let wanted = Array(Set(positions + positions.map { $0 - 1 }.filter { $0 >= 1 } + leaves))
        return try await pool.withConnection { connection in
            var received = [Int64: Timestamp]()
            var chains: [Int64: SHA256Digest] = [0: GlobalChain.genesis]
            var hashes = [Subtree: SHA256Digest]()
            for row in try await connection.query(
                """
                SELECT position, received_at, chain_hash, NULL::smallint, NULL::bigint FROM events
                WHERE position = ANY(\(wanted)::bigint[])
                UNION ALL
                SELECT NULL, NULL, t.hash, t.level, t.index
                FROM unnest(\(nodes.map { Int64($0.level) })::smallint[], \(nodes.map(\.index))::bigint[])
                    AS s(level, index)
                JOIN tree_nodes t ON t.level = s.level AND t.index = s.index
                """)
            {
                if let position = try row.decode(Int64?.self, column: 0) {
                    received[position] = try row.decode(column: 1)
                    chains[position] = try row.decode(column: 2)
                } else {
                    hashes[Subtree(level: try row.decode(Int.self, column: 3), index: try row.decode(column: 4))] =
                        try row.decode(column: 2)
                }
            }
            for (position, chain) in chains where position >= 1 {
                hashes[Subtree(level: 0, index: position - 1)] = MerkleTree.leafHash(chain: chain)
            }
            let times = try positions.map { position in
                guard let time = received[position] else {
                    throw TreeNodesMissing(subtrees: [Subtree(level: 0, index: position - 1)])
                }
                return time
            }
            let runs = ReceiptProof.PositionRange.runs(positions: positions, received: times)
            let missing = Set(runs.flatMap { Self.proofSubtrees(of: $0, size: size) }).subtracting(hashes.keys)
            if !missing.isEmpty {
                // Every one of them, or ``TreeNodesMissing``.
                hashes.merge(try await Self.subtreeHashes(Array(missing), on: connection)) { stored, _ in stored }
            }
            return try runs.map { run in
                guard let previous = chains[run.lowerBound - 1] else {
                    throw TreeNodesMissing(subtrees: [Subtree(level: 0, index: run.lowerBound - 2)])
                }
                let proof = RangeProof(leaves: (run.lowerBound - 1)..<run.upperBound, size: size) { hashes[$0]! }
                return ReceiptProof.PositionRange(
                    first: run.lowerBound, last: run.upperBound, received: received[run.lowerBound]!,
                    previous: previous, path: proof.path)
            }
        }
    }

    /// The subtrees whose hashes the range proof of `run` in the tree of the first `size` events holds.
    private static func proofSubtrees(of run: ClosedRange<Int64>, size: Int64) -> [Subtree] {
        RangeProof.subtrees(leaves: (run.lowerBound - 1)..<run.upperBound, size: size)
    }
}
