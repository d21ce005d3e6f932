import Testing

@testable import FieldSyncModel

/// Range proofs against a naive recomputation written from PROTOCOL.md §17.2's recursive `RANGE`, over
/// ``MerkleTreeTests/NaiveTree``.
@Suite struct RangeProofTests {
    typealias NaiveTree = MerkleTreeTests.NaiveTree

    /// RANGE(a, b, D[n]) of §17.2, recursively, with MTH from the naive tree.
    static func naiveRange(_ leaves: Range<Int64>, _ range: Range<Int64>, in tree: NaiveTree) -> [SHA256Digest] {
        if leaves == range { return [] }
        let middle = range.lowerBound + tree.largestPowerOfTwo(below: Int64(range.count))
        if leaves.upperBound <= middle {
            return naiveRange(leaves, range.lowerBound..<middle, in: tree) + [tree.mth(middle..<range.upperBound)]
        }
        if leaves.lowerBound >= middle {
            return naiveRange(leaves, middle..<range.upperBound, in: tree) + [tree.mth(range.lowerBound..<middle)]
        }
        return naiveRange(leaves.lowerBound..<middle, range.lowerBound..<middle, in: tree)
            + naiveRange(middle..<leaves.upperBound, middle..<range.upperBound, in: tree)
    }

    /// The nodes that hold none of `leaves` under a parent that holds some: the fewest hashes that, with
    /// the leaves, determine the root. Counted over the tree's nodes, not by the recursion above.
    static func minimalCount(_ leaves: Range<Int64>, size: Int64, in tree: NaiveTree) -> Int {
        func count(_ range: Range<Int64>) -> Int {
            let holds = range.lowerBound < leaves.upperBound && leaves.lowerBound < range.upperBound
            guard holds, range.count > 1,
                !(leaves.lowerBound <= range.lowerBound && range.upperBound <= leaves.upperBound)
            else { return 0 }
            let middle = range.lowerBound + tree.largestPowerOfTwo(below: Int64(range.count))
            return [range.lowerBound..<middle, middle..<range.upperBound].reduce(0) { total, half in
                let inside = half.lowerBound < leaves.upperBound && leaves.lowerBound < half.upperBound
                return total + (inside ? count(half) : 1)
            }
        }
        return count(0..<size)
    }

    static func leafHashes(_ leaves: Range<Int64>, of tree: NaiveTree) -> [SHA256Digest] {
        Array(tree.leaves[Int(leaves.lowerBound)..<Int(leaves.upperBound)])
    }

    /// Every range of every size up to 64: the proof from stored subtrees is the naive RANGE, as short as
    /// can be, verifies, and is the inclusion path for one leaf; it fails for another range, another size,
    /// an altered leaf and a changed, removed or added hash.
    @Test func everyRangeOfEverySizeUpTo64() {
        let tree = NaiveTree(leafCount: 65, seed: 21)
        let stored = MerkleTreeTests.storedSubtrees(tree.leaves)
        let junk = SHA256Digest.hash("junk")
        for size in Int64(1)...64 {
            let root = tree.mth(0..<size)
            for first in 0..<size {
                for end in (first + 1)...size {
                    let leaves = first..<end
                    let hashes = Self.leafHashes(leaves, of: tree)
                    let proof = RangeProof(leaves: leaves, size: size) { stored[$0]! }
                    #expect(proof.path == Self.naiveRange(leaves, 0..<size, in: tree), "\(leaves) of \(size)")
                    #expect(proof.path.count == Self.minimalCount(leaves, size: size, in: tree), "\(leaves) of \(size)")
                    #expect(proof.verifies(leafHashes: hashes, root: root), "\(leaves) of \(size)")
                    #expect(Set(RangeProof.subtrees(leaves: leaves, size: size)).isSubset(of: stored.keys))
                    if leaves.count == 1 {
                        #expect(proof.path == tree.path(first, 0..<size), "leaf \(first) of \(size)")
                    }
                    // Every way of failing for the small sizes, and for one range in five of the others.
                    if size <= 24 || (first + end) % 5 == 0 {
                        Self.expectFailures(proof, hashes: hashes, root: root, tree: tree, junk: junk)
                    }
                }
            }
        }
    }

    /// The ways a proof must not hold: the same hashes claimed for the range moved by one, cut short or
    /// grown, or for the next size; a leaf altered; a hash changed, removed or added.
    static func expectFailures(
        _ proof: RangeProof, hashes: [SHA256Digest], root: SHA256Digest, tree: NaiveTree, junk: SHA256Digest
    ) {
        let (leaves, size) = (proof.leaves, proof.size)
        let context = "\(leaves) of \(size)"
        if leaves.upperBound < size {
            let moved = RangeProof(
                leaves: (leaves.lowerBound + 1)..<(leaves.upperBound + 1), size: size, path: proof.path)
            #expect(!moved.verifies(leafHashes: hashes, root: root), "moved: \(context)")
            let grown = RangeProof(leaves: leaves.lowerBound..<(leaves.upperBound + 1), size: size, path: proof.path)
            #expect(
                !grown.verifies(leafHashes: hashes + [tree.leaves[Int(leaves.upperBound)]], root: root),
                "grown: \(context)")
        }
        if leaves.count > 1 {
            let cut = RangeProof(leaves: leaves.lowerBound..<(leaves.upperBound - 1), size: size, path: proof.path)
            #expect(!cut.verifies(leafHashes: Array(hashes.dropLast()), root: root), "cut: \(context)")
        }
        #expect(!proof.verifies(leafHashes: Array(hashes.dropLast()), root: root), "a leaf short: \(context)")
        #expect(
            !RangeProof(leaves: leaves, size: size + 1, path: proof.path)
                .verifies(leafHashes: hashes, root: tree.mth(0..<(size + 1))), "next size: \(context)")
        #expect(
            !RangeProof(leaves: leaves, size: size - 1, path: proof.path)
                .verifies(leafHashes: hashes, root: tree.mth(0..<(size - 1))), "smaller size: \(context)")
        for index in [0, hashes.count / 2, hashes.count - 1] {
            var altered = hashes
            altered[index] = junk
            #expect(!proof.verifies(leafHashes: altered, root: root), "leaf \(index) altered: \(context)")
        }
        for path in MerkleTreeTests.tampered(proof.path, junk: junk) {
            #expect(
                !RangeProof(leaves: leaves, size: size, path: path).verifies(leafHashes: hashes, root: root),
                "tampered: \(context)")
        }
        #expect(!proof.verifies(leafHashes: hashes, root: junk))
    }

    /// Random ranges, of up to 300 leaves, in random sizes of a tree of 100,000 leaves.
    @Test func randomRangesAtOneHundredThousand() {
        let count: Int64 = 100_000
        let tree = NaiveTree(leafCount: Int(count) + 1, seed: 22)
        let stored = MerkleTreeTests.storedSubtrees(tree.leaves)
        let junk = SHA256Digest.hash("junk")
        var random = SplitMix64(seed: 23)
        for round in 0..<60 {
            let size = round == 0 ? count : Int64(random.next(below: Int(count))) + 1
            let first = Int64(random.next(below: Int(size)))
            let end = min(size, first + 1 + Int64(random.next(below: 300)))
            let leaves = first..<end
            let hashes = Self.leafHashes(leaves, of: tree)
            let root = tree.mth(0..<size)
            let proof = RangeProof(leaves: leaves, size: size) { stored[$0]! }
            #expect(proof.path == Self.naiveRange(leaves, 0..<size, in: tree), "\(leaves) of \(size)")
            #expect(proof.path.count == Self.minimalCount(leaves, size: size, in: tree), "\(leaves) of \(size)")
            #expect(proof.verifies(leafHashes: hashes, root: root), "\(leaves) of \(size)")
            Self.expectFailures(proof, hashes: hashes, root: root, tree: tree, junk: junk)
        }
    }

    /// Claims a proof can make only for a range of the tree: empty, beyond the size, negative.
    @Test func rangesOutsideTheTreeFail() {
        let tree = NaiveTree(leafCount: 8, seed: 24)
        let root = tree.mth(0..<8)
        #expect(RangeProof(leaves: 3..<3, size: 8, path: []).root(fromLeafHashes: []) == nil)
        #expect(RangeProof(leaves: 6..<9, size: 8, path: []).root(fromLeafHashes: Array(tree.leaves[0..<3])) == nil)
        #expect(RangeProof(leaves: -1..<1, size: 8, path: []).root(fromLeafHashes: Array(tree.leaves[0..<2])) == nil)
        #expect(RangeProof(leaves: 0..<8, size: 8, path: []).verifies(leafHashes: tree.leaves, root: root))
        #expect(RangeProof(leaves: 0..<1, size: 0, path: []).root(fromLeafHashes: [tree.leaves[0]]) == nil)
    }
}
