import FieldSyncModel

extension EventStore {
    /// The ranges of a receipt's `positions` (in its order, each from 1 to `size`, `size` at most the events
    /// stored), cut as ``ReceiptProof/PositionRange/runs(positions:received:)`` says, each with what a
    /// device needs to place its events there in the tree of the first `size` events: the received time,
    /// the chain link before the range, and the range proof. Three queries however many.
    public func receiptRanges(positions: [Int64], size: Int64) async throws -> [ReceiptProof.PositionRange] {
        guard !positions.isEmpty else { return [] }
        return try await pool.withConnection { connection in
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
            let times = try positions.map { position in
                guard let time = received[position] else {
                    throw TreeNodesMissing(subtrees: [Subtree(level: 0, index: position - 1)])
                }
                return time
            }
            let runs = ReceiptProof.PositionRange.runs(positions: positions, received: times)
            let subtrees = Set(
                runs.flatMap { RangeProof.subtrees(leaves: ($0.lowerBound - 1)..<$0.upperBound, size: size) })
            let hashes = try await Self.subtreeHashes(Array(subtrees), on: connection)
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
}
