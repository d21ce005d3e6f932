import Testing

@testable import FieldSyncModel

/// A receipt proof's ranges: how a receipt's positions are cut into them, and how the proof is read, in
/// its form and in the earlier one of an inclusion proof per event.
@Suite struct ReceiptProofTests {
    static let first = Timestamp(rfc3339: "2024-02-08T06:03:00.123456Z")!
    static let second = Timestamp(rfc3339: "2024-02-08T06:04:00Z")!

    /// A range goes on while positions follow one another at one received time.
    @Test func positionsAreCutIntoRunsStoredTogether() {
        let runs = ReceiptProof.PositionRange.runs
        #expect(runs([], []) == [])
        #expect(runs([7, 8, 9], [Self.second, Self.second, Self.second]) == [7...9])
        // Duplicates stored by an earlier batch, right before this batch's events.
        #expect(runs([5, 6, 7, 8], [Self.first, Self.first, Self.second, Self.second]) == [5...6, 7...8])
        // Out of order, repeated, or apart.
        #expect(runs([9, 8], [Self.second, Self.second]) == [9...9, 8...8])
        #expect(runs([4, 4, 5], [Self.first, Self.first, Self.first]) == [4...4, 4...5])
        #expect(runs([2, 3, 10, 11], Array(repeating: Self.first, count: 4)) == [2...3, 10...11])
    }

    static let head: JSONValue = ["type": "fieldsync.tree-head.v1", "size": 12]

    @Test func aProofIsReadAsWritten() throws {
        let range = ReceiptProof.PositionRange(
            first: 3, last: 5, received: Self.first, previous: SHA256Digest.hash("chain 2"),
            path: [SHA256Digest.hash("a"), SHA256Digest.hash("b")])
        let proof = ReceiptProof(treeHead: Self.head.objectValue!, ranges: [range])
        #expect(try ReceiptProof(json: proof.jsonValue) == proof)
        #expect(proof.jsonValue["ranges"]?.arrayValue?[0]["first"] == .integer(3))
        #expect(proof.jsonValue["ranges"]?.arrayValue?[0]["last"] == .integer(5))
        #expect(proof.jsonValue["events"] == nil)
        #expect(range.count == 3 && range.positions == [3, 4, 5])
    }

    /// Each entry of the earlier form is a range of one position whose path is its inclusion proof.
    @Test func theEarlierFormIsReadAsRangesOfOne() throws {
        let entry: JSONValue = [
            "position": 4, "received": .string(Self.first.rfc3339UTC),
            "previous": .string(SHA256Digest.hash("chain 3").hex), "path": [.string(SHA256Digest.hash("a").hex)],
        ]
        let proof = try ReceiptProof(json: ["treeHead": Self.head, "events": [entry, entry]])
        #expect(proof.ranges.count == 2)
        #expect(proof.ranges[0].first == 4 && proof.ranges[0].last == 4)
        #expect(proof.ranges[0].received == Self.first)
        #expect(proof.ranges[0].path == [SHA256Digest.hash("a")])
    }

    /// Ranges that cannot be a receipt's are refused as they are read, before any position is counted.
    @Test func impossibleRangesAreRefused() {
        let valid: [String: JSONValue] = [
            "first": 3, "last": 5, "received": .string(Self.first.rfc3339UTC),
            "previous": .string(SHA256Digest.hash("chain 2").hex), "path": [],
        ]
        for (member, value) in [
            ("first", JSONValue.integer(6)), ("first", 0), ("first", .integer(Int64.min)), ("last", 2),
            ("last", "5"), ("received", "yesterday"), ("previous", "00"), ("path", ["zz"]), ("path", "none"),
        ] {
            var entry = valid
            entry[member] = value
            #expect(throws: ReceiptProblem.self, "\(member): \(value)") {
                try ReceiptProof(json: ["treeHead": Self.head, "ranges": [.object(entry)]])
            }
        }
        #expect(throws: ReceiptProblem.self) { try ReceiptProof(json: ["treeHead": Self.head]) }
        #expect(throws: ReceiptProblem.self) { try ReceiptProof(json: ["ranges": [.object(valid)]]) }
        #expect(throws: ReceiptProblem.self) {
            try ReceiptProof(json: ["treeHead": Self.head, "events": [["position": 0, "path": []]]])
        }
    }
}
