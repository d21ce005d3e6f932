import FieldSyncModel

/// A batch receipt's ``ReceiptProof`` as the device keeps it, one a line in `<home>/receipt-proofs.ndjson`:
/// the proof as the server sent it, each range with the `seq` of its first event added, so that it is
/// checked against the local log alone. A range's events are one device's at consecutive positions, so
/// their seqs are consecutive too (``ReceiptBook/verifyProof(_:delivered:serverKey:localEvent:)`` checks
/// it before a proof is kept). A line kept in the earlier form, `events` with a `seq` each, is read as
/// ranges of one event.
public struct KeptProof: Sendable, Hashable {
    public var proof: ReceiptProof
    /// The seq of the first event of each of the proof's ranges, in the same order.
    public var firstSeqs: [Int64]

    public init(proof: ReceiptProof, firstSeqs: [Int64]) {
        precondition(proof.ranges.count == firstSeqs.count, "a seq for each range of the proof")
        self.proof = proof
        self.firstSeqs = firstSeqs
    }

    /// The seqs the proof covers.
    public var seqs: [Int64] {
        zip(proof.ranges, firstSeqs).flatMap { range, seq in Array(seq..<(seq + range.count)) }
    }

    public var jsonValue: JSONValue {
        var object = proof.jsonValue.objectValue!
        let entries = object["ranges"]?.arrayValue ?? []
        object["ranges"] = .array(
            zip(entries, firstSeqs).map { entry, seq in
                var entry = entry.objectValue ?? [:]
                entry["seq"] = .integer(seq)
                return .object(entry)
            })
        return .object(object)
    }

    public init(json: JSONValue) throws(ReceiptProblem) {
        let proof = try ReceiptProof(json: json)
        var seqs = [Int64]()
        for entry in json["ranges"]?.arrayValue ?? json["events"]?.arrayValue ?? [] {
            guard let seq = entry["seq"]?.integerValue, seq >= 1 else {
                throw ReceiptProblem("a kept proof range has no seq")
            }
            seqs.append(seq)
        }
        self.init(proof: proof, firstSeqs: seqs)
    }

    /// Checks the proof against the pinned `serverKey` and the local log's events (`event(seq)`); returns
    /// its head.
    public func verify(serverKey: PublicKey, event: (Int64) -> Event?) throws(ReceiptProblem) -> TreeHead {
        try proof.verify(serverKey: serverKey) { index in
            var events = [Event]()
            for offset in 0..<proof.ranges[index].count {
                guard let local = event(firstSeqs[index] &+ offset) else { return nil }
                events.append(local)
            }
            return events
        }
    }
}
