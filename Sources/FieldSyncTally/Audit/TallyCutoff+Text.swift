import FieldSyncModel

extension TallyCutoff {
    /// What `--until`, `--position` and `--as-of` accept, for error messages.
    public static let allowedText =
        "a log position (an integer ≥ 0) or an RFC 3339 time with its offset, "
        + "such as 2024-02-08T17:00:00+05:00"

    /// Reads a cutoff as typed: digits are a position, anything else must be an RFC 3339 time with its offset.
    public init?(text: String) {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let position = Int64(text) else { return nil }
            self = .position(position)
        } else if let time = Timestamp(rfc3339: text) {
            self = .observedAtOrBefore(time)
        } else {
            return nil
        }
    }

    /// The cutoff as the API writes it in a tally answer's `asOf`: `{"position": N}` or `{"time": "<UTC>"}`.
    public var jsonValue: JSONValue {
        switch self {
        case .position(let position): ["position": .integer(position)]
        case .observedAtOrBefore(let time): ["time": .string(time.rfc3339UTC)]
        }
    }

    /// The query that asks the API for this cutoff: `position=N` or `asOf=<UTC time>` (nothing to escape).
    public var query: String {
        switch self {
        case .position(let position): "position=\(position)"
        case .observedAtOrBefore(let time): "asOf=\(time.rfc3339UTC)"
        }
    }

    /// In words: `as of position 1200`, `as observed by 2024-02-08T12:00:00.000000Z`.
    public var words: String {
        switch self {
        case .position(let position): "as of position \(position)"
        case .observedAtOrBefore(let time): "as observed by \(time.rfc3339UTC)"
        }
    }
}
