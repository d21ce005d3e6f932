import FieldSyncModel
import FieldSyncStore

/// What became of one pushed event, as the answer to `POST /v1/events` reports it.
enum EventOutcome: Sendable, Equatable {
    /// Stored at this position.
    case appended(position: Int64)
    /// Already stored with the same content, at this position.
    case duplicate(position: Int64)
    /// Contradicts what is stored (recorded, never merged).
    case conflict(AppendConflict)
    /// Not read, not signed by the device, or not valid against the reference data and calendar.
    case invalid([FieldError])
    /// The device's previous event is not stored: the server expects this sequence number next.
    case gap(expectedSequence: Int64)

    init(_ outcome: AppendOutcome) {
        switch outcome {
        case .appended(let position): self = .appended(position: position)
        case .duplicate(let position): self = .duplicate(position: position)
        case .conflict(let conflict): self = .conflict(conflict)
        case .gap(let expected): self = .gap(expectedSequence: expected)
        }
    }

    var name: String {
        switch self {
        case .appended: "appended"
        case .duplicate: "duplicate"
        case .conflict: "conflict"
        case .invalid: "invalid"
        case .gap: "gap"
        }
    }

    var position: Int64? {
        switch self {
        case .appended(let position), .duplicate(let position): position
        case .conflict, .invalid, .gap: nil
        }
    }
}

/// One pushed event's result: where it was in the batch, its id and seq when they could be read, and
/// its outcome.
struct EventResult: Sendable {
    var index: Int
    var id: String?
    var seq: Int64?
    var outcome: EventOutcome

    var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["index": .integer(Int64(index)), "outcome": .string(outcome.name)]
        if let id { object["id"] = .string(id) }
        if let seq { object["seq"] = .integer(seq) }
        switch outcome {
        case .appended(let position), .duplicate(let position):
            object["position"] = .integer(position)
        case .conflict(let conflict):
            object["reason"] = .string(conflict.reason.rawValue)
            if let existing = conflict.existingPosition { object["existingPosition"] = .integer(existing) }
            object["detail"] = .string(conflict.description)
        case .invalid(let errors):
            object["errors"] = .array(errors.map(\.jsonValue))
        case .gap(let expected):
            object["expectedSeq"] = .integer(expected)
        }
        return .object(object)
    }
}
