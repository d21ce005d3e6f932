/// The Merkle tree over the global log (RFC 9162 §2.1; PROTOCOL.md §17), and the ranges of leaves whose
/// hashes make its proofs.
///
/// **Leaves.** The leaf at index `i` (0-based) is the event at position `i + 1`, and its data is the 32
/// bytes of the global chain link at that position (PROTOCOL.md §8.2). The link already binds the event
/// hash, the position, the received time, the server's copy of the signature and every link before it,
/// and every export line carries it, so an auditor computes the tree from an export alone and a leaf
/// proves an event's place in the chain as well as in the tree. A tree of size `n` covers positions
/// 1 … n: the same log as the chain head at position `n`.
///
/// **Hashes.** leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right); the empty tree's root is
/// SHA-256 of nothing. A range of leaves `[a, b)` with more than one leaf is split at `a + k`, `k` the
/// largest power of two smaller than `b − a`. Every range met while splitting `[0, n)` starts at a
/// multiple of the next power of two at or above its length, and its hash is therefore a fold of
/// complete aligned subtrees (``Subtree``), the only hashes a store needs to keep.
public enum MerkleTree {
    /// The root of the tree of no leaves: SHA-256 of the empty string.
    public static let emptyRoot = SHA256Digest.hash([UInt8]())

    /// SHA-256(0x00 ‖ data): the hash of a leaf.
    public static func leafHash(_ data: some Collection<UInt8>) -> SHA256Digest {
        var input = [UInt8](repeating: 0, count: 1)
        input.reserveCapacity(data.count + 1)
        input.append(contentsOf: data)
        return SHA256Digest.hash(input)
    }

    /// The hash of the leaf of the event whose global chain link is `chain`.
    public static func leafHash(chain: SHA256Digest) -> SHA256Digest { prefixed(0, chain, nil) }

    /// SHA-256(0x01 ‖ left ‖ right): the hash of an inner node.
    public static func nodeHash(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        prefixed(1, left, right)
    }

    /// SHA-256 of `prefix ‖ first ‖ second`, hashed from the stack: the append path makes two of these an event.
    private static func prefixed(_ prefix: UInt8, _ first: SHA256Digest, _ second: SHA256Digest?) -> SHA256Digest {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { buffer in
            buffer[0] = prefix
            first.withUnsafeBytes { _ = UnsafeMutableBufferPointer(rebasing: buffer[1..<33]).initialize(from: $0) }
            second?.withUnsafeBytes { _ = UnsafeMutableBufferPointer(rebasing: buffer[33..<65]).initialize(from: $0) }
            return SHA256Digest.hash(UnsafeBufferPointer(rebasing: buffer[0..<(second == nil ? 33 : 65)]))
        }
    }

    /// The largest power of two smaller than `count` (`count` ≥ 2): where a range of `count` leaves splits.
    static func split(_ count: Int64) -> Int64 {
        precondition(count >= 2, "only a range of two leaves or more splits")
        return Int64(1) << (63 - (count - 1).leadingZeroBitCount)
    }

    /// The complete aligned subtrees whose hashes, folded from the right, make the hash of `range`, left
    /// to right. `range` must be one met while splitting a tree (see the type's documentation).
    public static func subtrees(of range: Range<Int64>) -> [Subtree] {
        var pieces: [Subtree] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let count = range.upperBound - start
            let level = count & (count - 1) == 0 ? count.trailingZeroBitCount : 63 - count.leadingZeroBitCount
            precondition(start % (Int64(1) << level) == 0, "\(range) is not a range of the tree")
            pieces.append(Subtree(level: level, index: start >> level))
            start += Int64(1) << level
        }
        return pieces
    }

    /// The hash of `range` from the hashes of its complete aligned subtrees; ``emptyRoot`` for an empty range.
    public static func hash(
        of range: Range<Int64>, subtree: (Subtree) throws -> SHA256Digest
    ) rethrows -> SHA256Digest {
        let pieces = subtrees(of: range)
        guard var hash = try pieces.last.map(subtree) else { return emptyRoot }
        for piece in pieces.dropLast().reversed() { hash = nodeHash(try subtree(piece), hash) }
        return hash
    }

    /// The ranges whose hashes make the inclusion proof of leaf `index` in the tree of `size` leaves
    /// (RFC 9162 §2.1.3.1), from the leaf up: `index` must be below `size`.
    public static func inclusionRanges(index: Int64, size: Int64) -> [Range<Int64>] {
        precondition(index >= 0 && index < size, "leaf \(index) is not in a tree of \(size)")
        var ranges: [Range<Int64>] = []
        var range = Int64(0)..<size
        while range.count > 1 {
            let middle = range.lowerBound + split(Int64(range.count))
            if index < middle {
                ranges.append(middle..<range.upperBound)
                range = range.lowerBound..<middle
            } else {
                ranges.append(range.lowerBound..<middle)
                range = middle..<range.upperBound
            }
        }
        return ranges.reversed()
    }

    /// The ranges whose hashes make the range proof of the leaves `leaves` in the tree of `size` leaves
    /// (PROTOCOL.md §17.2, `RANGE`), in the proof's order: the siblings of the range below a split first,
    /// and where the range spans a split, the left part's hashes before the right part's. Every node that
    /// holds no leaf of the range under a parent that holds one, so none is computable from the range's
    /// leaves and none is redundant. For one leaf it is ``inclusionRanges(index:size:)``.
    public static func rangeProofRanges(leaves: Range<Int64>, size: Int64) -> [Range<Int64>] {
        precondition(
            leaves.lowerBound >= 0 && !leaves.isEmpty && leaves.upperBound <= size,
            "leaves \(leaves) are not a range of a tree of \(size)")
        func ranges(_ leaves: Range<Int64>, in range: Range<Int64>) -> [Range<Int64>] {
            if leaves == range { return [] }
            let middle = range.lowerBound + split(Int64(range.count))
            if leaves.upperBound <= middle {
                return ranges(leaves, in: range.lowerBound..<middle) + [middle..<range.upperBound]
            }
            if leaves.lowerBound >= middle {
                return ranges(leaves, in: middle..<range.upperBound) + [range.lowerBound..<middle]
            }
            return ranges(leaves.lowerBound..<middle, in: range.lowerBound..<middle)
                + ranges(middle..<leaves.upperBound, in: middle..<range.upperBound)
        }
        return ranges(leaves, in: 0..<size)
    }

    /// MTH of the leaves whose hashes are `leafHashes` (PROTOCOL.md §17.1), computed from all of them;
    /// ``emptyRoot`` for none.
    public static func root(leafHashes: ArraySlice<SHA256Digest>) -> SHA256Digest {
        switch leafHashes.count {
        case 0: return emptyRoot
        case 1: return leafHashes[leafHashes.startIndex]
        default:
            let middle = leafHashes.startIndex + Int(split(Int64(leafHashes.count)))
            return nodeHash(root(leafHashes: leafHashes[..<middle]), root(leafHashes: leafHashes[middle...]))
        }
    }

    /// The ranges whose hashes make the consistency proof from the tree of `from` leaves to the tree of
    /// `to` leaves (RFC 9162 §2.1.4.1), from the bottom up: 1 ≤ `from` ≤ `to`; none when they are equal.
    public static func consistencyRanges(from: Int64, to: Int64) -> [Range<Int64>] {
        precondition(from >= 1 && from <= to, "no consistency proof from \(from) to \(to)")
        var ranges: [Range<Int64>] = []
        var range = Int64(0)..<to
        var old = from
        var whole = true  // SUBPROOF's b: whether the old tree's root is the subtree's own
        while old != Int64(range.count) {
            let k = split(Int64(range.count))
            let middle = range.lowerBound + k
            if old <= k {
                ranges.append(middle..<range.upperBound)
                range = range.lowerBound..<middle
            } else {
                ranges.append(range.lowerBound..<middle)
                range = middle..<range.upperBound
                old -= k
                whole = false
            }
        }
        if !whole { ranges.append(range) }
        return ranges.reversed()
    }
}
