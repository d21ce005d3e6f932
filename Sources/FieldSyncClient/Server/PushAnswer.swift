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

    init(json: JSONValue) throws(ServerAPIError) {
        guard case .array(let results)? = json["results"], case .object(let receipt)? = json["receipt"] else {
            throw .badAnswer("the push answer lacks results or receipt")
        }
        var parsed = [PushResult]()
        for result in results {
            guard let one = PushResult(json: result) else {
                throw .badAnswer("a push result cannot be read: \(result)")
            }
            parsed.append(one)
        }
        self.init(results: parsed, receipt: receipt)
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

    init?(json: JSONValue) {
        guard case .integer(let index)? = json["index"], case .string(let name)? = json["outcome"] else { return nil }
        let outcome: Outcome
        switch name {
        case "appended":
            guard let position = json["position"]?.integerValue else { return nil }
            outcome = .appended(position: position)
        case "duplicate":
            guard let position = json["position"]?.integerValue else { return nil }
            outcome = .duplicate(position: position)
        case "conflict":
            outcome = .conflict(
                reason: json["reason"]?.stringValue ?? "conflict",
                existingPosition: json["existingPosition"]?.integerValue,
                detail: json["detail"]?.stringValue ?? "")
        case "invalid":
            outcome = .invalid((json["errors"]?.arrayValue ?? []).compactMap(FieldError.init(json:)))
        case "gap":
            guard let expected = json["expectedSeq"]?.integerValue else { return nil }
            outcome = .gap(expectedSeq: expected)
        default:
            return nil
        }
        self.init(index: Int(index), id: json["id"]?.stringValue, seq: json["seq"]?.integerValue, outcome: outcome)
    }
}
