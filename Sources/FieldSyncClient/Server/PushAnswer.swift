import FieldSyncModel

/// What `POST /v1/events` answers: a result per event of the batch, in order, and the batch's receipt
/// signed by the server.
///
/// A batch none of whose events is valid is refused whole (422 `batch-invalid`): the same results, all
/// `invalid`, come in the problem, and there is no receipt since nothing was stored.
public struct PushAnswer: Sendable {
    public var results: [PushResult]
    /// The signed receipt object, kept as received (its signature covers exactly these members); nil
    /// when the batch was refused whole.
    public var receipt: [String: JSONValue]?

    public init(results: [PushResult], receipt: [String: JSONValue]?) {
        self.results = results
        self.receipt = receipt
    }

    /// Reads the answer: the results with `Codable`; the receipt, which is signed, with the strict parser,
    /// kept member for member as the server wrote it.
    init(body: [UInt8]) throws(ServerAPIError) {
        let results: [PushResult]
        do {
            results = try ClientJSON.decode(Results.self, from: body).results
        } catch {
            throw .badAnswer("the push answer cannot be read: \(error)")
        }
        guard case .object(let receipt)? = (try? JSONParser.parse(body))?["receipt"] else {
            throw .badAnswer("the push answer has no receipt")
        }
        self.init(results: results, receipt: receipt)
    }

    private struct Results: Decodable {
        var results: [PushResult]
    }
}

/// What became of one pushed event.
public struct PushResult: Sendable, Hashable {
    /// Its place in the batch, from 0.
    public var index: Int
    public var id: String?
    public var seq: Int64?
    public var outcome: Outcome

    public init(index: Int, id: String?, seq: Int64?, outcome: Outcome) {
        self.index = index
        self.id = id
        self.seq = seq
        self.outcome = outcome
    }

    public enum Outcome: Sendable, Hashable {
        /// Stored now, at this position.
        case appended(position: Int64)
        /// Already stored, with the same content, at this position.
        case duplicate(position: Int64)
        /// Contradicts what the server holds; nothing stored.
        case conflict(reason: String, existingPosition: Int64?, detail: String)
        /// Refused, with every problem found.
        case invalid([FieldError])
        /// The server lacks the device's earlier events: it expects this seq next.
        case gap(expectedSeq: Int64)

        /// Whether the server now holds the event.
        public var isStored: Bool {
            switch self {
            case .appended, .duplicate: true
            default: false
            }
        }
    }
}

/// `{index, id, seq, outcome, …}` with the members of its outcome: `position` (appended, duplicate),
/// `reason`, `existingPosition` and `detail` (conflict), `errors` (invalid), `expectedSeq` (gap).
extension PushResult: Decodable {
    private enum CodingKeys: String, CodingKey {
        case index, id, seq, outcome, position, reason, existingPosition, detail, errors, expectedSeq
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        let outcome: Outcome
        switch try members.decode(String.self, forKey: .outcome) {
        case "appended":
            outcome = .appended(position: try members.decode(Int64.self, forKey: .position))
        case "duplicate":
            outcome = .duplicate(position: try members.decode(Int64.self, forKey: .position))
        case "conflict":
            outcome = .conflict(
                reason: try members.decodeIfPresent(String.self, forKey: .reason) ?? "conflict",
                existingPosition: try members.decodeIfPresent(Int64.self, forKey: .existingPosition),
                detail: try members.decodeIfPresent(String.self, forKey: .detail) ?? "")
        case "invalid":
            outcome = .invalid(try members.decodeIfPresent([FieldError].self, forKey: .errors) ?? [])
        case "gap":
            outcome = .gap(expectedSeq: try members.decode(Int64.self, forKey: .expectedSeq))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .outcome, in: members,
                debugDescription: "'\(other)' is not an outcome (allowed: appended, duplicate, conflict, invalid, gap)")
        }
        self.init(
            index: try members.decode(Int.self, forKey: .index),
            id: try members.decodeIfPresent(String.self, forKey: .id),
            seq: try members.decodeIfPresent(Int64.self, forKey: .seq), outcome: outcome)
    }
}
