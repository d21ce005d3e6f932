/// A range proof (PROTOCOL.md §17.2, `RANGE`): the hashes from which the root of the tree of ``size``
/// leaves is computed given the hashes of the consecutive leaves ``leaves``, each node of the tree that
/// holds none of those leaves but whose parent holds some, in the order of
/// ``MerkleTree/rangeProofRanges(leaves:size:)``. One proof for a batch of consecutive events, where an
/// inclusion proof each would repeat the hashes they share; for one leaf it is that leaf's inclusion proof.
public struct RangeProof: Hashable, Sendable {
    /// The leaves' indices, 0-based: the events at positions `leaves.lowerBound + 1` … `leaves.upperBound`.
    public let leaves: Range<Int64>
    /// The size of the tree whose root the proof leads to.
    public let size: Int64
    /// The hashes, in the proof's order.
    public let path: [SHA256Digest]

    public init(leaves: Range<Int64>, size: Int64, path: [SHA256Digest]) {
        self.leaves = leaves
        self.size = size
        self.path = path
    }

    /// The proof for `leaves` (non-empty, within `size`) from the hashes of complete aligned subtrees.
    public init(leaves: Range<Int64>, size: Int64, subtree: (Subtree) throws -> SHA256Digest) rethrows {
        self.init(
            leaves: leaves, size: size,
            path: try MerkleTree.rangeProofRanges(leaves: leaves, size: size).map {
                try MerkleTree.hash(of: $0, subtree: subtree)
            })
    }

    /// The complete aligned subtrees whose hashes make the proof for `leaves` in a tree of `size`.
    public static func subtrees(leaves: Range<Int64>, size: Int64) -> [Subtree] {
        MerkleTree.rangeProofRanges(leaves: leaves, size: size).flatMap(MerkleTree.subtrees(of:))
    }

    /// The root the proof leads to from the hashes of its leaves, in order; nil when the proof cannot belong
    /// to ``leaves`` of a tree of ``size`` (a range out of the tree, a hash for each leaf missing, too few
    /// or too many hashes in the path).
    ///
    /// The tree is computed from the top as MTH is (§17.1): a part of the tree that is exactly the range's
    /// leaves is their MTH; a part that holds some of them is the node hash of its two halves, each either
    /// computed the same way or, holding none of them, the proof's next hash.
    public func root(fromLeafHashes leafHashes: [SHA256Digest]) -> SHA256Digest? {
        guard leaves.lowerBound >= 0, !leaves.isEmpty, leaves.upperBound <= size, leafHashes.count == leaves.count
        else { return nil }
        var next = path.startIndex
        func nextHash() -> SHA256Digest? {
            guard next < path.endIndex else { return nil }
            defer { next += 1 }
            return path[next]
        }
        func root(_ wanted: Range<Int64>, in range: Range<Int64>) -> SHA256Digest? {
            if wanted == range {
                let start = Int(wanted.lowerBound - leaves.lowerBound)
                return MerkleTree.root(leafHashes: leafHashes[start..<(start + wanted.count)])
            }
            let middle = range.lowerBound + MerkleTree.split(Int64(range.count))
            let left = range.lowerBound..<middle
            let right = middle..<range.upperBound
            if wanted.upperBound <= middle {
                guard let hash = root(wanted, in: left), let sibling = nextHash() else { return nil }
                return MerkleTree.nodeHash(hash, sibling)
            }
            if wanted.lowerBound >= middle {
                guard let hash = root(wanted, in: right), let sibling = nextHash() else { return nil }
                return MerkleTree.nodeHash(sibling, hash)
            }
            guard let leftHash = root(wanted.lowerBound..<middle, in: left),
                let rightHash = root(middle..<wanted.upperBound, in: right)
            else { return nil }
            return MerkleTree.nodeHash(leftHash, rightHash)
        }
        guard let hash = root(leaves, in: 0..<size), next == path.endIndex else { return nil }
        return hash
    }

    /// Whether the proof shows that the leaves whose hashes are `leafHashes` are ``leaves`` of the tree of
    /// ``size`` leaves whose root is `root`.
    public func verifies(leafHashes: [SHA256Digest], root: SHA256Digest) -> Bool {
        self.root(fromLeafHashes: leafHashes) == root
    }
}
