/// What a witness makes of the newest head a server shows, against the last head it cosigned of the same
/// log (PROTOCOL.md §17.7). Pure: the witness fetches the heads and the proof, this decides.
public enum WitnessVerdict: Hashable, Sendable {
    /// The log only grew (or is the one already cosigned): cosign the newest head.
    case cosign
    /// Two heads of one size with different roots: a split view, proven by the two signed heads.
    case splitView
    /// The newest head has fewer events than the last one cosigned: the server went back.
    case shrunk
    /// The consistency proof from the last head to the newest does not hold (or is missing).
    case inconsistent

    /// The verdict on `newest` after `last` (nil before the first head), with the server's consistency
    /// proof from `last` to `newest` when the newest is larger and the last not empty.
    public init(last: TreeHead?, newest: TreeHead, proof: ConsistencyProof?) {
        guard let last else {
            self = .cosign
            return
        }
        if newest.size == last.size {
            self = newest.root == last.root ? .cosign : .splitView
        } else if newest.size < last.size {
            self = .shrunk
        } else if last.size == 0 {
            // The empty tree is a prefix of every tree: there is nothing to prove.
            self = last.root == MerkleTree.emptyRoot ? .cosign : .inconsistent
        } else if let proof, proof.from == last.size, proof.to == newest.size,
            proof.verifies(oldRoot: last.root, newRoot: newest.root)
        {
            self = .cosign
        } else {
            self = .inconsistent
        }
    }

    /// Whether the witness cosigns.
    public var cosigns: Bool { self == .cosign }
}
