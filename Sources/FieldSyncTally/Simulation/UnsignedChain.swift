import FieldSyncModel

/// A device's chain of events built without the cost of signing: each event is numbered, hashed
/// and chained as the protocol says, but its signature is 64 zero bytes, which no key verifies.
///
/// For tests and benchmarks of the fold, which never checks signatures. Never for a log that is
/// served, exported or verified.
public struct UnsignedChain: Sendable {
    public let device: DeviceID
    public private(set) var lastSeq: Int64 = 0
    public private(set) var lastHash = SHA256Digest.zero

    private static let zeroSignature = JSONValue.string(Base64URL.encode([UInt8](repeating: 0, count: 64)))

    public init(device: DeviceID) {
        self.device = device
    }

    /// The device's next event; throws if the draft does not make a well-formed event.
    public mutating func append(_ draft: EventDraft, id: EventID) throws(EventDecodingError) -> Event {
        let object: [String: JSONValue] = [
            "specversion": "1.0", "id": .string(id.description), "source": .string(device.source),
            "type": .string(draft.type.rawValue), "time": .string(draft.time), "subject": .string(draft.subject),
            "datacontenttype": "application/json", "data": draft.data, "seq": .integer(lastSeq + 1),
            "prevhash": .string(lastHash.hex), "signature": Self.zeroSignature,
        ]
        let event = try Event(json: .object(object))
        lastSeq = event.seq
        lastHash = event.hash
        return event
    }
}
