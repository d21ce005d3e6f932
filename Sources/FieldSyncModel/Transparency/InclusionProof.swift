/// An inclusion proof (RFC 9162 §2.1.3): the hashes that lead from the leaf at ``index`` to the root of
/// the tree of ``size`` leaves, from the leaf up.
public struct InclusionProof: Hashable, Sendable {
    /// The leaf's index, 0-based: the event at position `index + 1`.
    public let index: Int64
    /// The size of the tree whose root the proof leads to.
    public let size: Int64
    /// The sibling hashes, from the leaf up.
    public let path: [SHA256Digest]

    public init(index: Int64, size: Int64, path: [SHA256Digest]) {
        self.index = index
        self.size = size
        self.path = path
    }

    /// The proof for leaf `index` (below `size`) from the hashes of complete aligned subtrees.
    public init(index: Int64, size: Int64, subtree: (Subtree) throws -> SHA256Digest) rethrows {
        self.init(
            index: index, size: size,
            path: try MerkleTree.inclusionRanges(index: index, size: size).map {
                try MerkleTree.hash(of: $0, subtree: subtree)
            })
    }

    /// The complete aligned subtrees whose hashes make the proof for leaf `index` in a tree of `size`.
    public static func subtrees(index: Int64, size: Int64) -> [Subtree] {
        MerkleTree.inclusionRanges(index: index, size: size).flatMap(MerkleTree.subtrees(of:))
    }

    /// The root the proof leads to from a leaf whose hash is `leafHash` (RFC 9162 §2.1.3.2); nil when the
    /// proof cannot belong to a leaf at ``index`` of a tree of ``size`` (wrong length, index out of range).
    public func root(fromLeafHash leafHash: SHA256Digest) -> SHA256Digest? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var hash = leafHash
        for sibling in path {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                hash = MerkleTree.nodeHash(sibling, hash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                hash = MerkleTree.nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? hash : nil
    }

    /// Whether the proof shows that the leaf whose hash is `leafHash` is at ``index`` in the tree of ``size``
    /// leaves whose root is `root`.
    public func verifies(leafHash: SHA256Digest, root: SHA256Digest) -> Bool {
        self.root(fromLeafHash: leafHash) == root
    }
}
