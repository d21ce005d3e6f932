import FieldSyncModel

/// Why a sync found the server holding something else under one of the device's events: a conflict the
/// server answered, or one the client found from the server's head. Kept in the sync state and the sync
/// report as one string: the server's reason (`same-id-other-content`, …), `server-ahead` or `diverged`.
public enum SyncConflictReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The server answered the push with a conflict.
    case answered(ConflictReason)
    /// The server holds more of the device's events than the local log has.
    case serverAhead
    /// The server's event under a seq is not the local one.
    case diverged

    public var description: String {
        switch self {
        case .answered(let reason): reason.rawValue
        case .serverAhead: "server-ahead"
        case .diverged: "diverged"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let reason = ConflictReason(rawValue: text) {
            self = .answered(reason)
        } else if let found = [Self.serverAhead, .diverged].first(where: { $0.description == text }) {
            self = found
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a conflict reason")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
