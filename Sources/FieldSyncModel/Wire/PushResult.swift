/// What became of one pushed event: its place in the batch, its id and seq when they could be read, and
/// its outcome. `{index, id?, seq?, outcome, …}` with the members of its outcome: `position` (appended,
/// duplicate), `reason`, `existingPosition` and `detail` (conflict), `errors` (invalid), `expectedSeq`
/// (gap). Written by ``jsonValue``, read by `Decodable`.
public struct PushResult: Sendable, Hashable {
    /// Its place in the batch, from 0.
    public var index: Int
    public var id: String?
    public var seq: Int64?
    public var outcome: PushOutcome

    public init(index: Int, id: String?, seq: Int64?, outcome: PushOutcome) {
        self.index = index
        self.id = id
        self.seq = seq
        self.outcome = outcome
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "index": .integer(Int64(index)), "outcome": .string(outcome.kind.rawValue),
        ]
        if let id { object["id"] = .string(id) }
        if let seq { object["seq"] = .integer(seq) }
        switch outcome {
        case .appended(let position), .duplicate(let position):
            object["position"] = .integer(position)
        case .conflict(let reason, let existingPosition, let detail):
            object["reason"] = .string(reason.rawValue)
            if let existingPosition { object["existingPosition"] = .integer(existingPosition) }
            object["detail"] = .string(detail)
        case .invalid(let errors):
            object["errors"] = .array(errors.map(\.jsonValue))
        case .gap(let expectedSeq):
            object["expectedSeq"] = .integer(expectedSeq)
        }
        return .object(object)
    }
}

extension PushResult: Decodable {
    private enum CodingKeys: String, CodingKey {
        case index, id, seq, outcome, position, reason, existingPosition, detail, errors, expectedSeq
    }

    /// A conflict's `detail` and an invalid event's `errors` read as empty when missing.
    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        let outcome: PushOutcome
        switch try members.decode(PushOutcome.Kind.self, forKey: .outcome) {
        case .appended:
            outcome = .appended(position: try members.decode(Int64.self, forKey: .position))
        case .duplicate:
            outcome = .duplicate(position: try members.decode(Int64.self, forKey: .position))
        case .conflict:
            outcome = .conflict(
                reason: try members.decode(ConflictReason.self, forKey: .reason),
                existingPosition: try members.decodeIfPresent(Int64.self, forKey: .existingPosition),
                detail: try members.decodeIfPresent(String.self, forKey: .detail) ?? "")
        case .invalid:
            outcome = .invalid(try members.decodeIfPresent([FieldError].self, forKey: .errors) ?? [])
        case .gap:
            outcome = .gap(expectedSeq: try members.decode(Int64.self, forKey: .expectedSeq))
        }
        self.init(
            index: try members.decode(Int.self, forKey: .index),
            id: try members.decodeIfPresent(String.self, forKey: .id),
            seq: try members.decodeIfPresent(Int64.self, forKey: .seq), outcome: outcome)
    }
}
