import Testing

@testable import FieldSyncModel

/// The log's Merkle tree against a naive recomputation of RFC 9162 §2.1 written from the RFC's recursive
/// definitions, which shares nothing with the code under test but the two hash functions.
@Suite struct MerkleTreeTests {
    /// MTH, PATH and PROOF of RFC 9162 §2.1, recursively over the leaf hashes, with MTH remembered per range.
    final class NaiveTree {
        let leaves: [SHA256Digest]
        private var memo: [Range<Int64>: SHA256Digest] = [:]

        init(leafCount: Int, seed: UInt64) {
            var random = SplitMix64(seed: seed)
            leaves = (0..<leafCount).map { _ in
                MerkleTree.leafHash(
                    chain: SHA256Digest(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })!)
            }
        }

        func largestPowerOfTwo(below n: Int64) -> Int64 {
            var k: Int64 = 1
            while k * 2 < n { k *= 2 }
            return k
        }

        func mth(_ range: Range<Int64>) -> SHA256Digest {
            if range.isEmpty { return SHA256Digest.hash([UInt8]()) }
            if range.count == 1 { return leaves[Int(range.lowerBound)] }
            if let known = memo[range] { return known }
            let k = largestPowerOfTwo(below: Int64(range.count))
            let middle = range.lowerBound + k
            let hash = MerkleTree.nodeHash(mth(range.lowerBound..<middle), mth(middle..<range.upperBound))
            memo[range] = hash
            return hash
        }

        func path(_ m: Int64, _ range: Range<Int64>) -> [SHA256Digest] {
            if range.count <= 1 { return [] }
            let middle = range.lowerBound + largestPowerOfTwo(below: Int64(range.count))
            return m < middle - range.lowerBound
                ? path(m, range.lowerBound..<middle) + [mth(middle..<range.upperBound)]
                : path(m - (middle - range.lowerBound), middle..<range.upperBound) + [mth(range.lowerBound..<middle)]
        }

        func subproof(_ m: Int64, _ range: Range<Int64>, _ b: Bool) -> [SHA256Digest] {
            let n = Int64(range.count)
            if m == n { return b ? [] : [mth(range)] }
            let k = largestPowerOfTwo(below: n)
            let middle = range.lowerBound + k
            return m <= k
                ? subproof(m, range.lowerBound..<middle, b) + [mth(middle..<range.upperBound)]
                : subproof(m - k, middle..<range.upperBound, false) + [mth(range.lowerBound..<middle)]
        }

        /// Every complete aligned subtree's hash, as a store would keep them.
        func subtreeHash(_ subtree: Subtree) -> SHA256Digest { mth(subtree.leaves) }
    }

    /// Every complete subtree a frontier reports while appending `leaves`.
    static func storedSubtrees(_ leaves: [SHA256Digest]) -> [Subtree: SHA256Digest] {
        var frontier = TreeFrontier()
        var stored: [Subtree: SHA256Digest] = [:]
        for leaf in leaves {
            for (subtree, hash) in frontier.append(leafHash: leaf) { stored[subtree] = hash }
        }
        return stored
    }

    /// Every way of spoiling `path` by one hash: each changed to `junk`, each removed, `junk` added at each place.
    static func tampered(_ path: [SHA256Digest], junk: SHA256Digest) -> [[SHA256Digest]] {
        path.indices.flatMap { index -> [[SHA256Digest]] in
            var changed = path
            changed[index] = junk
            var removed = path
            removed.remove(at: index)
            return [changed, removed]
        }
            + (0...path.count).map { index in
                var added = path
                added.insert(junk, at: index)
                return added
            }
    }

    @Test func hashesAreDomainSeparated() {
        let data = [UInt8](repeating: 7, count: 32)
        #expect(MerkleTree.leafHash(data) == SHA256Digest.hash([0] + data))
        let (a, b) = (SHA256Digest.hash("a"), SHA256Digest.hash("b"))
        #expect(MerkleTree.nodeHash(a, b) == SHA256Digest.hash([1] + a.bytes + b.bytes))
        #expect(MerkleTree.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TreeFrontier().root == MerkleTree.emptyRoot)
    }

    /// The frontier's root after each append, and every subtree it reports, match the naive tree.
    @Test func frontierMatchesNaiveRoots() {
        let tree = NaiveTree(leafCount: 600, seed: 11)
        var frontier = TreeFrontier()
        for (index, leaf) in tree.leaves.enumerated() {
            for (subtree, hash) in frontier.append(leafHash: leaf) {
                #expect(hash == tree.mth(subtree.leaves), "\(subtree)")
                #expect(subtree.leaves.upperBound == Int64(index + 1))
            }
            #expect(frontier.root == tree.mth(0..<Int64(index + 1)), "size \(index + 1)")
            let edge = TreeFrontier.subtrees(size: frontier.size).map(tree.subtreeHash)
            #expect(TreeFrontier(size: frontier.size, hashes: edge) == frontier)
        }
        #expect(TreeFrontier(size: 5, hashes: []) == nil)
    }

    /// Every size up to 300 and every leaf: the proof from stored subtrees is the RFC's PATH, verifies,
    /// and fails for any other index, size or root.
    @Test func inclusionProofsForEverySizeAndLeaf() {
        let tree = NaiveTree(leafCount: 301, seed: 12)
        let stored = Self.storedSubtrees(tree.leaves)
        for size in Int64(1)...300 {
            let root = tree.mth(0..<size)
            for index in 0..<size {
                let proof = InclusionProof(index: index, size: size) { stored[$0]! }
                #expect(proof.path == tree.path(index, 0..<size), "leaf \(index) of \(size)")
                #expect(proof.verifies(leafHash: tree.leaves[Int(index)], root: root))
                #expect(Set(InclusionProof.subtrees(index: index, size: size)).isSubset(of: stored.keys))
                // The same path claimed for another leaf or another size.
                let otherIndex = (index + 1) % size
                if otherIndex != index {
                    #expect(
                        !InclusionProof(index: otherIndex, size: size, path: proof.path)
                            .verifies(leafHash: tree.leaves[Int(index)], root: root))
                    #expect(!proof.verifies(leafHash: tree.leaves[Int(otherIndex)], root: root))
                }
                // The same path claimed for the next size, against that size's root.
                #expect(
                    !InclusionProof(index: index, size: size + 1, path: proof.path)
                        .verifies(leafHash: tree.leaves[Int(index)], root: tree.mth(0..<(size + 1))))
                #expect(
                    !InclusionProof(index: size, size: size, path: proof.path)
                        .verifies(leafHash: tree.leaves[Int(index)], root: root))
                #expect(!proof.verifies(leafHash: tree.leaves[Int(index)], root: tree.mth(0..<(size + 1))))
            }
        }
    }

    /// Every pair of sizes up to 300: the proof is the RFC's PROOF, verifies, and fails for other sizes
    /// or roots.
    @Test func consistencyProofsForEveryPair() {
        let tree = NaiveTree(leafCount: 301, seed: 13)
        let stored = Self.storedSubtrees(tree.leaves)
        for to in Int64(1)...300 {
            let newRoot = tree.mth(0..<to)
            for from in 1...to {
                let oldRoot = tree.mth(0..<from)
                let proof = ConsistencyProof(from: from, to: to) { stored[$0]! }
                #expect(proof.path == tree.subproof(from, 0..<to, true), "\(from) to \(to)")
                #expect(proof.verifies(oldRoot: oldRoot, newRoot: newRoot), "\(from) to \(to)")
                #expect(Set(ConsistencyProof.subtrees(from: from, to: to)).isSubset(of: stored.keys))
                if from > 1 {
                    #expect(
                        !ConsistencyProof(from: from - 1, to: to, path: proof.path)
                            .verifies(oldRoot: tree.mth(0..<(from - 1)), newRoot: newRoot))
                    #expect(!proof.verifies(oldRoot: tree.mth(0..<(from - 1)), newRoot: newRoot))
                }
                #expect(
                    !ConsistencyProof(from: from, to: to + 1, path: proof.path)
                        .verifies(oldRoot: oldRoot, newRoot: tree.mth(0..<(to + 1))))
                #expect(!proof.verifies(oldRoot: oldRoot, newRoot: tree.mth(0..<(to + 1))))
            }
        }
    }

    /// Changing, dropping or adding any one hash of a proof makes it fail.
    @Test func tamperedProofsFail() {
        let tree = NaiveTree(leafCount: 77, seed: 14)
        let stored = Self.storedSubtrees(tree.leaves)
        let junk = SHA256Digest.hash("junk")
        for (index, size) in [(0, 1), (0, 2), (5, 77), (76, 77), (63, 64), (40, 70)] as [(Int64, Int64)] {
            let proof = InclusionProof(index: index, size: size) { stored[$0]! }
            let (leaf, root) = (tree.leaves[Int(index)], tree.mth(0..<size))
            #expect(proof.verifies(leafHash: leaf, root: root))
            for path in Self.tampered(proof.path, junk: junk) {
                #expect(!InclusionProof(index: index, size: size, path: path).verifies(leafHash: leaf, root: root))
            }
            #expect(!proof.verifies(leafHash: junk, root: root))
        }
        for (from, to) in [(1, 2), (3, 77), (32, 77), (64, 65), (7, 8), (70, 71)] as [(Int64, Int64)] {
            let proof = ConsistencyProof(from: from, to: to) { stored[$0]! }
            let (oldRoot, newRoot) = (tree.mth(0..<from), tree.mth(0..<to))
            #expect(proof.verifies(oldRoot: oldRoot, newRoot: newRoot))
            for path in Self.tampered(proof.path, junk: junk) {
                #expect(!ConsistencyProof(from: from, to: to, path: path).verifies(oldRoot: oldRoot, newRoot: newRoot))
            }
            #expect(!ConsistencyProof(from: to, to: to, path: proof.path).verifies(oldRoot: newRoot, newRoot: newRoot))
        }
        #expect(ConsistencyProof(from: 9, to: 9, path: []).verifies(oldRoot: junk, newRoot: junk))
        #expect(!ConsistencyProof(from: 9, to: 9, path: []).verifies(oldRoot: junk, newRoot: tree.mth(0..<9)))
        #expect(!ConsistencyProof(from: 0, to: 9, path: []).verifies(oldRoot: MerkleTree.emptyRoot, newRoot: junk))
    }

    /// Random leaves, sizes and pairs in a tree of 100,000 leaves.
    @Test func randomProofsAtOneHundredThousand() {
        let count: Int64 = 100_000
        let tree = NaiveTree(leafCount: Int(count), seed: 15)
        let stored = Self.storedSubtrees(tree.leaves)
        var random = SplitMix64(seed: 16)
        for _ in 0..<40 {
            let size = Int64(random.next(below: Int(count))) + 1
            let index = Int64(random.next(below: Int(size)))
            let root = tree.mth(0..<size)
            let inclusion = InclusionProof(index: index, size: size) { stored[$0]! }
            #expect(inclusion.path == tree.path(index, 0..<size), "leaf \(index) of \(size)")
            #expect(inclusion.verifies(leafHash: tree.leaves[Int(index)], root: root))
            #expect(
                !InclusionProof(index: (index + 1) % size, size: size, path: inclusion.path)
                    .verifies(leafHash: tree.leaves[Int(index)], root: root) || size == 1)

            let from = Int64(random.next(below: Int(size))) + 1
            let consistency = ConsistencyProof(from: from, to: size) { stored[$0]! }
            #expect(consistency.path == tree.subproof(from, 0..<size, true), "\(from) to \(size)")
            #expect(consistency.verifies(oldRoot: tree.mth(0..<from), newRoot: root))
            #expect(
                from == size || !consistency.verifies(oldRoot: tree.mth(0..<from), newRoot: tree.mth(0..<(size - 1))))
        }
    }
}
