import FieldSyncModel

/// A batch receipt's ``ReceiptProof`` as the device keeps it, one a line in `<home>/receipt-proofs.ndjson`:
/// the proof as the server sent it, each event entry with its `seq` added, so that it is checked against
/// the local log alone.
public struct KeptProof: Sendable, Hashable {
    public var proof: ReceiptProof
    /// The seq of each of the proof's events, in the same order.
    public var seqs: [Int64]

    public init(proof: ReceiptProof, seqs: [Int64]) {
        precondition(proof.events.count == seqs.count, "a seq for each event of the proof")
        self.proof = proof
        self.seqs = seqs
    }

    public var jsonValue: JSONValue {
        var object = proof.jsonValue.objectValue!
        let entries = object["events"]?.arrayValue ?? []
        object["events"] = .array(
            zip(entries, seqs).map { entry, seq in
                var entry = entry.objectValue ?? [:]
                entry["seq"] = .integer(seq)
                return .object(entry)
            })
        return .object(object)
    }

    public init(json: JSONValue) throws(ReceiptProblem) {
        let proof = try ReceiptProof(json: json)
        var seqs = [Int64]()
        for entry in json["events"]?.arrayValue ?? [] {
            guard let seq = entry["seq"]?.integerValue else { throw ReceiptProblem("a kept proof entry has no seq") }
            seqs.append(seq)
        }
        self.init(proof: proof, seqs: seqs)
    }

    /// Checks the proof against the pinned `serverKey` and the local log's events (`event(seq)`); returns
    /// its head.
    public func verify(serverKey: PublicKey, event: (Int64) -> Event?) throws(ReceiptProblem) -> TreeHead {
        let seqAt = Dictionary(zip(proof.events.map(\.position), seqs), uniquingKeysWith: { first, _ in first })
        return try proof.verify(serverKey: serverKey) { position in seqAt[position].flatMap(event) }
    }
}
