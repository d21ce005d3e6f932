/// A complete aligned subtree of the log's Merkle tree: the `2^level` leaves from `index · 2^level`.
/// Its hash never changes once its last leaf is appended, which is why a store keeps exactly these.
public struct Subtree: Hashable, Sendable, CustomStringConvertible {
    /// 0 for a leaf, 1 for a node over two leaves, and so on.
    public let level: Int
    /// Which subtree of its level, counted from 0 at the left.
    public let index: Int64

    public init(level: Int, index: Int64) {
        precondition(level >= 0 && level < 63 && index >= 0, "no subtree at level \(level), index \(index)")
        self.level = level
        self.index = index
    }

    /// The leaves it covers.
    public var leaves: Range<Int64> { (index << level)..<((index + 1) << level) }

    public var description: String { "subtree \(level)/\(index)" }
}
