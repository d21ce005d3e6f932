import FieldSyncModel

/// The server's signed batch receipts, the device's proof of delivery, appended to
/// `<home>/receipts.ndjson` one per line (canonical JSON) once verified; and their proofs that the events
/// are in a signed tree head, appended to `<home>/receipt-proofs.ndjson` (``KeptProof``).
public enum ReceiptBook {
    /// Checks a receipt: a ``Receipt`` for this device, signed by the pinned server key, every event it
    /// lists the local event with that seq. Returns the events it vouches for.
    public static func verify(
        _ object: [String: JSONValue], serverKey: PublicKey, device: DeviceID, localID: (Int64) -> EventID?
    ) throws(ReceiptProblem) -> [Receipt.Delivered] {
        let receipt = try Receipt(signed: object)
        guard receipt.device == device else {
            throw ReceiptProblem("the receipt is for device \(receipt.device), not \(device)")
        }
        guard SignedObject.isValid(object, signedBy: serverKey) else {
            throw ReceiptProblem(
                "the receipt is not signed by the server key pinned at enrollment (\(serverKey.base64URL))")
        }
        for event in receipt.events {
            guard let local = localID(event.seq), local.description == event.id else {
                throw ReceiptProblem(
                    "the receipt vouches for event \(event.id) as seq \(event.seq), which is not this log's")
            }
        }
        return receipt.events
    }

    /// Appends a verified receipt, and returns once it is on disk.
    public static func keep(_ receipt: [String: JSONValue], home: ClientHome) throws {
        try DurableFile.append(CanonicalJSON.bytes(.object(receipt)) + [0x0a], to: home.receipts, mode: 0o600)
    }

    /// Checks a receipt's proof (`json`, as the server sent it) for the `delivered` events the receipt
    /// vouches for: its ranges' positions, one after another, the receipt's, each range's events consecutive
    /// seqs of this device, its head signed by `serverKey`, and each range's leaves, made from the local
    /// events (`localEvent(seq)`), in the head's tree.
    public static func verifyProof(
        _ json: JSONValue, delivered: [Receipt.Delivered], serverKey: PublicKey, localEvent: (Int64) -> Event?
    ) throws(ReceiptProblem) -> KeptProof {
        let proof = try ReceiptProof(json: json)
        var firstSeqs = [Int64]()
        var start = 0
        for range in proof.ranges {
            guard range.count <= Int64(delivered.count - start) else { break }
            let listed = delivered[start..<(start + Int(range.count))]
            guard listed.map(\.position) == range.positions else { break }
            let seqs = listed.map(\.seq)
            guard seqs == Array(seqs[0]..<(seqs[0] + range.count)) else {
                throw ReceiptProblem(
                    "the receipt lists positions \(range.first) to \(range.last) for seqs that do not follow one another"
                )
            }
            firstSeqs.append(seqs[0])
            start += Int(range.count)
        }
        guard firstSeqs.count == proof.ranges.count, start == delivered.count else {
            throw ReceiptProblem("the receipt's proof does not cover the positions the receipt lists")
        }
        let kept = KeptProof(proof: proof, firstSeqs: firstSeqs)
        _ = try kept.verify(serverKey: serverKey, event: localEvent)
        return kept
    }

    /// Appends a verified proof, and returns once it is on disk.
    public static func keep(_ proof: KeptProof, home: ClientHome) throws {
        try DurableFile.append(CanonicalJSON.bytes(proof.jsonValue) + [0x0a], to: home.receiptProofs, mode: 0o600)
    }

    /// The proofs kept, oldest first; none before the first. A line cut short by a crash while it was
    /// appended (the last, without its line feed) is left out.
    public static func keptProofs(home: ClientHome) throws -> [KeptProof] {
        guard let bytes = try DurableFile.contents(of: home.receiptProofs) else { return [] }
        var proofs = [KeptProof]()
        for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: true) {
            do {
                proofs.append(try KeptProof(json: try JSONParser.parse(line)))
            } catch  where line.endIndex == bytes.endIndex && bytes.last != 0x0a {
                break
            } catch {
                throw ReceiptProblem("\(home.receiptProofs) holds a line that is not a kept proof: \(error)")
            }
        }
        return proofs
    }
}
