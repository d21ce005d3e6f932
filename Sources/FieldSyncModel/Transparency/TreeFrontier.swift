/// The right edge of a growing Merkle tree: the hashes of the complete aligned subtrees that make up the
/// tree of ``size`` leaves (one for each bit set in the size, largest first). Enough to append leaves,
/// which says which subtrees each leaf completes, and to compute the root, without the rest of the tree.
public struct TreeFrontier: Sendable, Equatable {
    /// The number of leaves appended so far.
    public private(set) var size: Int64
    /// The subtrees of ``subtrees(size:)`` with their hashes, left to right.
    public private(set) var edge: [(subtree: Subtree, hash: SHA256Digest)]

    /// The empty tree.
    public init() {
        size = 0
        edge = []
    }

    /// The tree of `size` leaves whose subtrees of ``subtrees(size:)`` have `hashes`, in that order; nil
    /// when the count does not match.
    public init?(size: Int64, hashes: [SHA256Digest]) {
        let subtrees = Self.subtrees(size: size)
        guard subtrees.count == hashes.count else { return nil }
        self.size = size
        edge = Array(zip(subtrees, hashes))
    }

    /// The complete aligned subtrees that make up the tree of `size` leaves, left to right.
    public static func subtrees(size: Int64) -> [Subtree] { MerkleTree.subtrees(of: 0..<size) }

    /// Appends the leaf whose hash is `leafHash` and returns the subtrees it completes, the leaf first,
    /// then each parent it completes, bottom up.
    @discardableResult
    public mutating func append(leafHash: SHA256Digest) -> [(subtree: Subtree, hash: SHA256Digest)] {
        var completed = [(subtree: Subtree(level: 0, index: size), hash: leafHash)]
        var top = completed[0]
        while let left = edge.last, left.subtree.level == top.subtree.level {
            edge.removeLast()
            top = (
                Subtree(level: top.subtree.level + 1, index: left.subtree.index / 2),
                MerkleTree.nodeHash(left.hash, top.hash)
            )
            completed.append(top)
        }
        edge.append(top)
        size += 1
        return completed
    }

    /// The root of the tree of ``size`` leaves.
    public var root: SHA256Digest {
        guard var hash = edge.last?.hash else { return MerkleTree.emptyRoot }
        for piece in edge.dropLast().reversed() { hash = MerkleTree.nodeHash(piece.hash, hash) }
        return hash
    }

    public static func == (left: TreeFrontier, right: TreeFrontier) -> Bool {
        left.size == right.size && left.edge.map(\.hash) == right.edge.map(\.hash)
    }
}
