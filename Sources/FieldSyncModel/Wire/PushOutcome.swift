/// What became of one pushed event, as the answer to `POST /v1/events` reports it in each result's
/// `outcome` and the members that go with it.
public enum PushOutcome: Sendable, Hashable {
    /// Stored now, at this position.
    case appended(position: Int64)
    /// Already stored, with the same content, at this position: nothing new was stored.
    case duplicate(position: Int64)
    /// Contradicts what the server holds (recorded, never merged); nothing stored. `detail` says it in a
    /// sentence.
    case conflict(reason: ConflictReason, existingPosition: Int64?, detail: String)
    /// Refused, with every problem found: not read, not signed by the device, or not valid against the
    /// reference data and the calendar.
    case invalid([FieldError])
    /// The server lacks the device's earlier events: it expects this seq next.
    case gap(expectedSeq: Int64)

    /// The `outcome` member of a result: what kind of outcome it is.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case appended, duplicate, conflict, invalid, gap

        public init(from decoder: any Decoder) throws {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            self = try decoder.decodeString(allowed: "an outcome (allowed: \(allowed))") { Kind(rawValue: $0) }
        }

        public func encode(to encoder: any Encoder) throws {
            try encoder.encodeString(rawValue)
        }
    }

    public var kind: Kind {
        switch self {
        case .appended: .appended
        case .duplicate: .duplicate
        case .conflict: .conflict
        case .invalid: .invalid
        case .gap: .gap
        }
    }

    /// Where the event is stored, for the outcomes that leave it stored (appended, duplicate).
    public var position: Int64? {
        switch self {
        case .appended(let position), .duplicate(let position): position
        case .conflict, .invalid, .gap: nil
        }
    }

    /// Whether the server now holds the event.
    public var isStored: Bool { position != nil }
}

extension PushOutcome: CustomStringConvertible {
    /// `conflict (sequence-taken): this device's sequence number is already taken …`, in one line.
    public var description: String {
        switch self {
        case .appended(let position): "appended at position \(position)"
        case .duplicate(let position): "duplicate of position \(position)"
        case .conflict(let reason, _, let detail): "conflict (\(reason.rawValue)): \(detail)"
        case .invalid(let errors): "invalid: " + errors.map(\.description).joined(separator: "; ")
        case .gap(let expectedSeq): "gap (the server expects seq \(expectedSeq))"
        }
    }
}
