@testable import FieldSyncModel

extension ProtocolVectors {
    /// The sizes whose inclusion proofs the tree vectors give for every position, and the pairs whose
    /// consistency proofs they give besides every size to the whole log.
    static let treeInclusionSizes: [Int64] = [1, 2, 3, 7, 8, 16, 28]
    static let treeConsistencyPairs: [(Int64, Int64)] = [(1, 2), (2, 3), (3, 7), (4, 8), (6, 8), (7, 16), (8, 13)]

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

        return PrettyJSON.string(
            [
                "note": .string(
                    "The Merkle tree over export.ndjson (PROTOCOL.md §17): leaf i+1 is the event at position i+1, its"
                        + " data the 32 bytes of its chain link. Roots for every size, proofs (paths from the bottom),"
                        + " the server's signed tree head of the whole log, and proofs that must fail against the"
                        + " roots given here."),
                "leaves": .array(leaves), "roots": .array(roots), "inclusion": .array(inclusions),
                "consistency": .array(consistencies), "head": .object(head), "broken": .array(broken),
            ])
    }
}
