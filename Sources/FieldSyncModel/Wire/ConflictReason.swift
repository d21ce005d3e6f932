/// Why a pushed event contradicts what the server holds: the `reason` of a `conflict` outcome.
public enum ConflictReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Another event with the same id is stored, with other content.
    case sameIDOtherContent = "same-id-other-content"
    /// The device's sequence number is taken by another event.
    case sequenceTaken = "sequence-taken"
    /// The event's previous hash is not the hash of the device's previous stored event.
    case chainMismatch = "chain-mismatch"

    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeString(
            allowed: "a conflict reason: " + Self.allCases.map(\.rawValue).joined(separator: ", ")
        ) {
            ConflictReason(rawValue: $0)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(rawValue)
    }
}
