@testable import FieldSyncModel

extension ProtocolVectors {
    /// The sizes whose inclusion proofs the tree vectors give for every position, and the pairs whose
    /// consistency proofs they give besides every size to the whole log.
    static let treeInclusionSizes: [Int64] = [1, 2, 3, 7, 8, 16, 28]
    static let treeConsistencyPairs: [(Int64, Int64)] = [(1, 2), (2, 3), (3, 7), (4, 8), (6, 8), (7, 16), (8, 13)]
    /// The sizes whose range proofs the tree vectors give for every range of positions, and the ranges
    /// (first and last position) they give in the whole log besides.
    static let treeRangeSizes: [Int64] = [1, 3, 7, 8]
    static let treeRanges: [(Int64, Int64)] = [
        (1, 29), (29, 29), (1, 16), (17, 29), (3, 20), (10, 11), (16, 17), (5, 28), (12, 27), (24, 29),
    ]

    /// Every complete aligned subtree of the tree over `export.ndjson`.
    var treeSubtrees: [Subtree: SHA256Digest] {
        var frontier = TreeFrontier()
        var subtrees: [Subtree: SHA256Digest] = [:]
        for event in stored {
            for (subtree, hash) in frontier.append(leafHash: MerkleTree.leafHash(chain: event.chain)) {
                subtrees[subtree] = hash
            }
        }
        return subtrees
    }

    /// The Merkle tree over `export.ndjson` (PROTOCOL.md §17): each leaf, the root of every size, inclusion
    /// and consistency proofs, a signed tree head of the whole log, and proofs that must fail.
    var treeFile: String {
        let subtrees = treeSubtrees
        let size = Int64(stored.count)
        func root(_ size: Int64) -> SHA256Digest { MerkleTree.hash(of: 0..<size) { subtrees[$0]! } }
        func hexes(_ path: [SHA256Digest]) -> JSONValue { .array(path.map { .string($0.hex) }) }
        func inclusion(_ position: Int64, _ size: Int64) -> InclusionProof {
            InclusionProof(index: position - 1, size: size) { subtrees[$0]! }
        }
        func consistency(_ from: Int64, _ to: Int64) -> ConsistencyProof {
            ConsistencyProof(from: from, to: to) { subtrees[$0]! }
        }

        let leaves = stored.map { event -> JSONValue in
            [
                "position": .integer(event.position), "chain": .string(event.chain.hex),
                "leafInputHex": .string("00" + event.chain.hex),
                "leafHash": .string(MerkleTree.leafHash(chain: event.chain).hex),
            ]
        }
        let roots = (0...size).map { n -> JSONValue in ["size": .integer(n), "root": .string(root(n).hex)] }
        let inclusions = Self.treeInclusionSizes.flatMap { size in
            (1...size).map { position -> JSONValue in
                ["position": .integer(position), "size": .integer(size), "path": hexes(inclusion(position, size).path)]
            }
        }
        func range(_ first: Int64, _ last: Int64, _ size: Int64) -> RangeProof {
            RangeProof(leaves: (first - 1)..<last, size: size) { subtrees[$0]! }
        }
        let rangeCases =
            Self.treeRangeSizes.flatMap { size in
                (1...size).flatMap { first in (first...size).map { (first, $0, size) } }
            } + Self.treeRanges.map { ($0.0, $0.1, size) }
        let ranges = rangeCases.map { first, last, size -> JSONValue in
            [
                "first": .integer(first), "last": .integer(last), "size": .integer(size),
                "path": hexes(range(first, last, size).path),
            ]
        }
        let pairs = (1...size).map { ($0, size) } + Self.treeConsistencyPairs
        let consistencies = pairs.map { from, to -> JSONValue in
            ["from": .integer(from), "to": .integer(to), "path": hexes(consistency(from, to).path)]
        }
        let head = TreeHead(size: size, root: root(size), time: Timestamp(rfc3339: Self.headTime)!)
            .signed(with: server.key)

        var broken: [JSONValue] = []
        func brokenInclusion(_ reason: String, leaf: Int64, position: Int64, size: Int64, path: [SHA256Digest]) {
            broken.append(
                [
                    "kind": "inclusion", "reason": .string(reason), "leafOfPosition": .integer(leaf),
                    "position": .integer(position), "size": .integer(size), "path": hexes(path),
                ])
        }
        func brokenConsistency(_ reason: String, from: Int64, to: Int64, path: [SHA256Digest]) {
            broken.append(
                [
                    "kind": "consistency", "reason": .string(reason), "from": .integer(from), "to": .integer(to),
                    "path": hexes(path),
                ])
        }
        let proof = inclusion(5, size).path
        brokenInclusion("the proof of position 5 claimed for position 6", leaf: 5, position: 6, size: size, path: proof)
        brokenInclusion(
            "the proof of position 5 with the leaf of position 6", leaf: 6, position: 5, size: size, path: proof)
        brokenInclusion(
            "the proof of position 5 in the tree of 28 claimed for the tree of 27", leaf: 5, position: 5,
            size: size - 1,
            path: proof)
        var changed = proof
        changed[1] = SHA256Digest.hash(changed[1].bytes)
        brokenInclusion(
            "the proof of position 5 with its second hash changed", leaf: 5, position: 5, size: size, path: changed)
        brokenInclusion(
            "the proof of position 5 with a hash too many", leaf: 5, position: 5, size: size, path: proof + [proof[0]])
        brokenInclusion(
            "position 29 beyond a tree of 28", leaf: 28, position: 29, size: size, path: inclusion(28, size).path)
        let grown = consistency(6, size).path
        brokenConsistency("the proof from 6 to 28 claimed from 5", from: 5, to: size, path: grown)
        brokenConsistency("the proof from 6 to 28 claimed to 27", from: 6, to: size - 1, path: grown)
        var changedGrowth = grown
        changedGrowth[0] = SHA256Digest.hash(changedGrowth[0].bytes)
        brokenConsistency("the proof from 6 to 28 with its first hash changed", from: 6, to: size, path: changedGrowth)
        brokenConsistency("the proof from 6 to 28 without its last hash", from: 6, to: size, path: grown.dropLast())
        brokenConsistency("an empty proof between different sizes", from: 6, to: size, path: [])
        brokenConsistency("from beyond to", from: size, to: 6, path: grown)
        func brokenRange(
            _ reason: String, first: Int64, last: Int64, size: Int64, path: [SHA256Digest], leaves: [SHA256Digest]
        ) {
            broken.append(
                [
                    "kind": "range", "reason": .string(reason), "first": .integer(first), "last": .integer(last),
                    "size": .integer(size), "path": hexes(path), "leafHashes": hexes(leaves),
                ])
        }
        func leafHashes(_ positions: ClosedRange<Int64>) -> [SHA256Digest] {
            positions.map { position in
                position <= size ? MerkleTree.leafHash(chain: stored[Int(position) - 1].chain) : SHA256Digest.zero
            }
        }
        let batch = range(5, 9, size).path
        brokenRange(
            "the proof of positions 5 to 9 claimed for 6 to 10", first: 6, last: 10, size: size, path: batch,
            leaves: leafHashes(6...10))
        brokenRange(
            "the proof of positions 5 to 9 claimed for 5 to 10", first: 5, last: 10, size: size, path: batch,
            leaves: leafHashes(5...10))
        brokenRange(
            "the proof of positions 5 to 9 claimed for 5 to 8", first: 5, last: 8, size: size, path: batch,
            leaves: leafHashes(5...8))
        var alteredLeaves = leafHashes(5...9)
        alteredLeaves[2] = SHA256Digest.hash(alteredLeaves[2].bytes)
        brokenRange(
            "the proof of positions 5 to 9 with the leaf of position 7 altered", first: 5, last: 9, size: size,
            path: batch, leaves: alteredLeaves)
        brokenRange(
            "the proof of positions 5 to 9 with the leaves of 6 and 7 swapped", first: 5, last: 9, size: size,
            path: batch, leaves: [5, 7, 6, 8, 9].map { leafHashes($0...$0)[0] })
        brokenRange(
            "the proof of positions 5 to 9 in the tree of \(size) claimed for the tree of \(size - 1)", first: 5,
            last: 9,
            size: size - 1, path: batch, leaves: leafHashes(5...9))
        var changedRange = batch
        changedRange[1] = SHA256Digest.hash(changedRange[1].bytes)
        brokenRange(
            "the proof of positions 5 to 9 with its second hash changed", first: 5, last: 9, size: size,
            path: changedRange, leaves: leafHashes(5...9))
        brokenRange(
            "the proof of positions 5 to 9 without its last hash", first: 5, last: 9, size: size,
            path: Array(batch.dropLast()), leaves: leafHashes(5...9))
        brokenRange(
            "the proof of positions 5 to 9 with a hash too many", first: 5, last: 9, size: size,
            path: batch + [batch[0]], leaves: leafHashes(5...9))
        brokenRange(
            "positions \(size - 1) to \(size + 1) beyond a tree of \(size)", first: size - 1, last: size + 1,
            size: size, path: range(size - 1, size, size).path, leaves: leafHashes((size - 1)...(size + 1)))

        return PrettyJSON.string(
            [
                "note": .string(
                    "The Merkle tree over export.ndjson (PROTOCOL.md §17): leaf i+1 is the event at position i+1, its"
                        + " data the 32 bytes of its chain link. Roots for every size, proofs (paths from the bottom),"
                        + " range proofs of consecutive positions (first to last), the server's signed tree head of"
                        + " the whole log, and proofs that must fail against the roots given here (a broken range"
                        + " proof with the leaf hashes to try)."),
                "leaves": .array(leaves), "roots": .array(roots), "inclusion": .array(inclusions),
                "consistency": .array(consistencies), "ranges": .array(ranges), "head": .object(head),
                "broken": .array(broken),
            ])
    }
}
