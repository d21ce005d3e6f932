import FieldSyncModel

/// The bytes of `POST /v1/events`'s 200 answer (results, signed receipt, receipt proof) for a batch appended
/// at the end of a log, with the proof in the earlier form (an inclusion proof for each event) and as
/// ranges (one range proof for the batch), written by the types the server writes it with. Counted, not
/// timed: a proof's length depends only on the positions and the tree's size (each hash is 64 hex digits
/// whatever its value), so the hashes here are stand-ins and the paths have their real lengths.
struct PushAnswerBytes {
    var answerBefore: Int
    var answerAfter: Int
    var proofBefore: Int
    var proofAfter: Int

    init(batch: Int64, logSize size: Int64) {
        let key = SigningKey.generate()
        let device = DeviceID(publicKey: key.publicKey)
        let first = size - batch + 1
        let received = Timestamp(rfc3339: "2024-02-08T09:30:00.123456Z")!
        let previous = SHA256Digest.hash("chain before the batch")
        let results = (0..<batch).map { offset in
            PushResult(
                index: Int(offset), id: EventID.random().description, seq: 1_000 + offset,
                outcome: .appended(position: first + offset))
        }
        let receipt = Receipt(
            device: device, results: results, headPosition: size, headChain: SHA256Digest.hash("head"), time: received
        ).signed(with: key)
        let head = TreeHead(size: size, root: SHA256Digest.hash("root"), time: received).signed(with: key)
        func hashes(_ ranges: [Range<Int64>]) -> [SHA256Digest] { ranges.map { SHA256Digest.hash("\($0)") } }

        let ranges = ReceiptProof(
            treeHead: head,
            ranges: [
                ReceiptProof.PositionRange(
                    first: first, last: size, received: received, previous: previous,
                    path: hashes(MerkleTree.rangeProofRanges(leaves: (first - 1)..<size, size: size)))
            ]
        ).jsonValue
        let events: JSONValue = [
            "treeHead": .object(head),
            "events": .array(
                (first...size).map { position in
                    [
                        "position": .integer(position), "received": .string(received.rfc3339UTC),
                        "previous": .string(previous.hex),
                        "path": .array(
                            hashes(MerkleTree.inclusionRanges(index: position - 1, size: size)).map { .string($0.hex) }),
                    ]
                }),
        ]
        func answer(_ proof: JSONValue) -> Int {
            CanonicalJSON.bytes(PushAnswer(results: results, receipt: receipt, proof: proof).jsonValue(device: device))
                .count + 1
        }
        answerBefore = answer(events)
        answerAfter = answer(ranges)
        proofBefore = CanonicalJSON.bytes(events).count
        proofAfter = CanonicalJSON.bytes(ranges).count
    }
}
