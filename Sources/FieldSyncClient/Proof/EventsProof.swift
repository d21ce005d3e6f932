import FieldSyncModel

/// What `fieldsync status --prove` finds (PROTOCOL.md §17.6): whether every event this device holds a
/// receipt proof for is still in the log the server shows now, and whether that log only grew since the
/// receipts' heads. Pure: the kept proofs, the local log, the current head and the consistency proofs go
/// in, a verdict comes out.
///
/// Each kept proof places its events in the tree of its receipt's head (checked again here against the
/// local log). A consistency proof from that head's size to the current head's then shows the current
/// tree begins with that tree, so the events are at the same positions in the current tree: one
/// consistency proof for each receipt head, in place of an inclusion proof for each event.
public struct EventsProof: Sendable {
    /// The current head, signed by the pinned key.
    public var current: TreeHead
    /// The heads of the kept proofs, each size once (the largest is the last receipt's).
    public var receiptHeads: [TreeHead]
    /// The seqs the kept proofs cover.
    public var provenSeqs: Set<Int64>
    /// How many of the reader's witnesses cosigned the current head, when the reader requires witnesses.
    public var witnessed: Int?

    /// What is wrong, in one line each kind.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The server's answer is not signed by the pinned key.
        case untrusted(String)
        /// A proof does not hold: the server shows another log, rewrote it, or lost events.
        case finding(String)

        public var description: String {
            switch self {
            case .untrusted(let text), .finding(let text): text
            }
        }
    }

    /// Checks the kept proofs against the local log (`event(seq)`) and the pinned key, and the current head
    /// (the server's `GET /v1/tree/head`) against the key and, when given, the `witnesses` the reader
    /// requires (PROTOCOL.md §17.7): a head they did not cosign is not trusted, however it is signed.
    public init(
        kept: [KeptProof], event: (Int64) -> Event?, serverKey: PublicKey, currentHead: [String: JSONValue],
        witnesses: WitnessPolicy? = nil
    ) throws(Failure) {
        guard let current = TreeHead(signed: currentHead, by: serverKey) else {
            throw .untrusted("the server's current tree head is not signed by the key pinned at enrollment")
        }
        if let witnesses, let problem = witnesses.problem(with: currentHead, serverKey: serverKey) {
            throw .untrusted("the server's current tree head is not trusted: \(problem)")
        }
        self.witnessed = witnesses.map { $0.required }
        var heads = [Int64: TreeHead]()
        var seqs = Set<Int64>()
        for proof in kept {
            let head: TreeHead
            do {
                head = try proof.verify(serverKey: serverKey, event: event)
            } catch {
                throw .finding("a kept receipt proof no longer holds against this log: \(error)")
            }
            if let other = heads[head.size], other.root != head.root {
                throw .finding(
                    "two receipts' heads of \(head.size) events have different roots: the server showed this"
                        + " device two logs")
            }
            heads[head.size] = head
            seqs.formUnion(proof.seqs)
        }
        self.current = current
        self.receiptHeads = heads.values.sorted { $0.size < $1.size }
        self.provenSeqs = seqs
    }

    /// The sizes from which a consistency proof to the current head is needed: the receipt heads smaller
    /// than it.
    public var consistencySizes: [Int64] { receiptHeads.map(\.size).filter { $0 < current.size } }

    /// Checks that the current tree extends each receipt head's, `proofs` holding a consistency proof to
    /// the current size from each of ``consistencySizes``.
    public func verifyGrowth(_ proofs: [Int64: ConsistencyProof]) throws(Failure) {
        for head in receiptHeads {
            if head.size > current.size {
                throw .finding(
                    "the server's current tree head has \(current.size) events, fewer than the \(head.size) of a"
                        + " receipt's head: the log shrank, or this is not the log the receipt came from")
            }
            if head.size == current.size {
                guard head.root == current.root else {
                    throw .finding(
                        "the server's current tree head of \(current.size) events has another root than the"
                            + " receipt's head of that size: the server shows another log")
                }
                continue
            }
            guard let proof = proofs[head.size], proof.from == head.size, proof.to == current.size,
                proof.verifies(oldRoot: head.root, newRoot: current.root)
            else {
                throw .finding(
                    "the log at \(current.size) events does not extend the one of \(head.size) events a receipt's"
                        + " head signed: the server rewrote or forked the log since that receipt")
            }
        }
    }
}
