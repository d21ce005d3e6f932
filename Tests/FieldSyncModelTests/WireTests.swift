import FieldSyncModel
import Foundation
import Testing

/// The wire types read the exact bytes the server writes, and what they write reads back the same.
@Suite struct WireTests {
    func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    func canonical(_ value: JSONValue) -> String {
        String(decoding: CanonicalJSON.bytes(value), as: UTF8.self)
    }

    static let error = FieldError(
        field: "data.votesCast", code: .aboveRegistered, problem: "1201 is more than the 1200 registered voters",
        allowed: "at most 1200")

    /// One result of each outcome, as the server writes them (canonical form), and what they mean.
    static let results: [(String, PushResult)] = [
        (
            #"{"id":"e1","index":0,"outcome":"appended","position":41,"seq":1}"#,
            PushResult(index: 0, id: "e1", seq: 1, outcome: .appended(position: 41))
        ),
        (
            #"{"id":"e2","index":1,"outcome":"duplicate","position":7,"seq":2}"#,
            PushResult(index: 1, id: "e2", seq: 2, outcome: .duplicate(position: 7))
        ),
        (
            #"{"detail":"this device's sequence number is already taken by another event (stored event at position 9)","existingPosition":9,"id":"e3","index":2,"outcome":"conflict","reason":"sequence-taken","seq":3}"#,
            PushResult(
                index: 2, id: "e3", seq: 3,
                outcome: .conflict(
                    reason: .sequenceTaken, existingPosition: 9,
                    detail:
                        "this device's sequence number is already taken by another event (stored event at position 9)"))
        ),
        (
            #"{"detail":"prevhash is not the hash of this device's previous stored event","index":3,"outcome":"conflict","reason":"chain-mismatch"}"#,
            PushResult(
                index: 3, id: nil, seq: nil,
                outcome: .conflict(
                    reason: .chainMismatch, existingPosition: nil,
                    detail: "prevhash is not the hash of this device's previous stored event"))
        ),
        (
            #"{"errors":[{"allowed":"at most 1200","code":"above-registered","field":"data.votesCast","problem":"1201 is more than the 1200 registered voters"}],"id":"e5","index":4,"outcome":"invalid","seq":5}"#,
            PushResult(index: 4, id: "e5", seq: 5, outcome: .invalid([error]))
        ),
        (
            #"{"expectedSeq":3,"id":"e6","index":5,"outcome":"gap","seq":6}"#,
            PushResult(index: 5, id: "e6", seq: 6, outcome: .gap(expectedSeq: 3))
        ),
    ]

    @Test func eachOutcomeReadsAndWritesTheServersBytes() throws {
        for (text, result) in Self.results {
            #expect(try decode(PushResult.self, text) == result, "\(text)")
            #expect(canonical(result.jsonValue) == text)
        }
    }

    @Test func anUnknownOutcomeOrReasonIsNamed() throws {
        let outcome = try #require(throws: DecodingError.self) {
            try decode(PushResult.self, #"{"index":0,"outcome":"stored","position":1}"#)
        }
        #expect("\(outcome)".contains("'stored' is not an outcome"))
        let reason = try #require(throws: DecodingError.self) {
            try decode(PushResult.self, #"{"index":0,"outcome":"conflict","reason":"clash"}"#)
        }
        #expect("\(reason)".contains("'clash' is not a conflict reason"))
    }

    @Test func everyConflictReasonAndOutcomeIsInTheOpenAPIEnums() {
        #expect(
            ConflictReason.allCases.map(\.rawValue) == ["same-id-other-content", "sequence-taken", "chain-mismatch"])
        #expect(PushOutcome.Kind.allCases.map(\.rawValue) == ["appended", "duplicate", "conflict", "invalid", "gap"])
    }

    @Test func aProblemReadsAndWritesTheServersBytes() throws {
        let text =
            #"{"detail":"none of the batch's 1 events can be stored","results":[{"errors":[{"allowed":"at most 1200","code":"above-registered","field":"data.votesCast","problem":"1201 is more than the 1200 registered voters"}],"id":"e5","index":4,"outcome":"invalid","seq":5}],"status":422,"title":"No event of the batch can be stored","type":"urn:fieldsync:problem:batch-invalid"}"#
        let problem = try decode(ProblemDetails.self, text)
        #expect(problem.kind == .batchInvalid)
        #expect(problem.status == 422)
        #expect(problem.results == [Self.results[4].1])
        #expect(canonical(problem.jsonValue) == text)

        let limited = ProblemDetails(
            .pushRateLimited, title: "The device pushes events faster than the server takes them", status: 429,
            detail: "wait", retryAfter: 3)
        #expect(try decode(ProblemDetails.self, canonical(limited.jsonValue)) == limited)
        let expired = ProblemDetails(
            .tokenExpired, title: "The device's token has expired", status: 401, detail: "expired",
            expired: Timestamp(rfc3339: "2024-02-08T08:00:00.000000Z"))
        #expect(canonical(expired.jsonValue).contains(#""expired":"2024-02-08T08:00:00.000000Z""#))
        #expect(try decode(ProblemDetails.self, canonical(expired.jsonValue)) == expired)
    }

    @Test func aProblemTypeIsItsSlugInTheURN() {
        for type in ProblemType.allCases {
            #expect(ProblemType(urn: type.urn) == type)
            #expect(type.urn == "urn:fieldsync:problem:" + type.rawValue)
        }
        #expect(ProblemType(urn: "urn:fieldsync:problem:something-new") == nil)
        #expect(ProblemType(urn: "device-revoked") == nil)
        #expect(Set(ProblemType.allCases.map(\.rawValue)).count == ProblemType.allCases.count)
    }

    @Test func aDeviceHeadReadsAndWritesTheServersBytes() throws {
        let device = try #require(DeviceID("0123456789abcdef0123"))
        let hash = SHA256Digest.hash("event")
        let text = #"{"device":"0123456789abcdef0123","hash":"\#(hash.hex)","position":12,"seq":4}"#
        let head = try decode(DeviceHead.self, text)
        #expect(head == DeviceHead(seq: 4, hash: hash, position: 12))
        #expect(canonical(head.jsonValue(of: device)) == text)
        #expect(
            canonical(DeviceHead.none.jsonValue(of: device))
                == #"{"device":"0123456789abcdef0123","hash":"\#(SHA256Digest.zero.hex)","position":0,"seq":0}"#)
    }

    @Test func aReceiptIsSignedAndReadBack() throws {
        let key = SigningKey.generate()
        let device = try #require(DeviceID("0123456789abcdef0123"))
        let receipt = Receipt(
            device: device, results: Self.results.map(\.1), headPosition: 41, headChain: SHA256Digest.hash("chain"),
            time: try #require(Timestamp(rfc3339: "2024-02-08T08:00:00.000000Z")))
        // Only the stored events are vouched for.
        #expect(
            receipt.events == [
                Receipt.Delivered(id: "e1", seq: 1, outcome: .appended, position: 41),
                Receipt.Delivered(id: "e2", seq: 2, outcome: .duplicate, position: 7),
            ])
        let signed = receipt.signed(with: key)
        #expect(SignedObject.isValid(signed, signedBy: key.publicKey))
        #expect(try Receipt(signed: signed) == receipt)
        let text = canonical(.object(signed))
        #expect(
            text.hasPrefix(
                #"{"device":"0123456789abcdef0123","events":[{"id":"e1","outcome":"appended","position":41,"seq":1},"#
                    + #"{"id":"e2","outcome":"duplicate","position":7,"seq":2}],"head":{"chain":"\#(SHA256Digest.hash("chain").hex)","position":41},"signature":""#
            ), "\(text)")
        #expect(text.hasSuffix(#"","time":"2024-02-08T08:00:00.000000Z","type":"fieldsync.receipt.v1"}"#))

        var wrongType = signed
        wrongType["type"] = "fieldsync.receipt.v2"
        #expect(throws: ReceiptProblem.self) { try Receipt(signed: wrongType) }
        var gapListed = signed
        gapListed["events"] = [["id": "e6", "seq": 6, "outcome": "gap", "position": 1]]
        #expect(throws: ReceiptProblem.self) { try Receipt(signed: gapListed) }
    }

    @Test func aPushAnswerWritesItsResultsAndReceipt() throws {
        let device = try #require(DeviceID("0123456789abcdef0123"))
        let answer = PushAnswer(results: [Self.results[0].1], receipt: ["type": "fieldsync.receipt.v1"])
        let text = canonical(answer.jsonValue(device: device))
        #expect(
            text
                == #"{"device":"0123456789abcdef0123","receipt":{"type":"fieldsync.receipt.v1"},"results":[\#(Self.results[0].0)]}"#
        )
        #expect(try decode(PushAnswer.Results.self, text).results == answer.results)
        #expect(PushAnswer.receipt(in: Array(text.utf8)) == answer.receipt)
    }
}
