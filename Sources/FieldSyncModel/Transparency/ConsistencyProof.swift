/// A consistency proof (RFC 9162 §2.1.4): the hashes that show that the tree of ``to`` leaves extends the
/// tree of ``from`` leaves, that is, that the log only grew.
public struct ConsistencyProof: Hashable, Sendable {
    /// The size of the older tree, at least 1.
    public let from: Int64
    /// The size of the newer tree, at least ``from``.
    public let to: Int64
    /// The hashes, from the bottom up; none when the sizes are equal.
    public let path: [SHA256Digest]

    public init(from: Int64, to: Int64, path: [SHA256Digest]) {
        self.from = from
        self.to = to
        self.path = path
    }

    /// The proof from `from` to `to` (1 ≤ `from` ≤ `to`) from the hashes of complete aligned subtrees.
    public init(from: Int64, to: Int64, subtree: (Subtree) throws -> SHA256Digest) rethrows {
        self.init(
            from: from, to: to,
            path: try MerkleTree.consistencyRanges(from: from, to: to).map {
                try MerkleTree.hash(of: $0, subtree: subtree)
            })
    }

    /// The complete aligned subtrees whose hashes make the proof from `from` to `to`.
    public static func subtrees(from: Int64, to: Int64) -> [Subtree] {
        MerkleTree.consistencyRanges(from: from, to: to).flatMap(MerkleTree.subtrees(of:))
    }

    /// Whether the proof shows that the tree of ``from`` leaves with root `oldRoot` is a prefix of the tree
    /// of ``to`` leaves with root `newRoot` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
    /// equal roots.
    public func verifies(oldRoot: SHA256Digest, newRoot: SHA256Digest) -> Bool {
        guard from >= 1, from <= to else { return false }
        if from == to { return path.isEmpty && oldRoot == newRoot }
        guard !path.isEmpty else { return false }
        var hashes = path[...]
        if from & (from - 1) == 0 { hashes.insert(oldRoot, at: hashes.startIndex) }
        var fn = from - 1
        var sn = to - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = hashes.first!
        var newHash = oldHash
        for hash in hashes.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldHash = MerkleTree.nodeHash(hash, oldHash)
                newHash = MerkleTree.nodeHash(hash, newHash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newHash = MerkleTree.nodeHash(newHash, hash)
            }
            fn >>= 1
            sn >>= 1
        }
        return oldHash == oldRoot && newHash == newRoot && sn == 0
    }
}
