/// The last event the server holds of one device: its seq, its hash and its position in the global log
/// (seq 0, the zero hash and position 0 when it holds none). `GET /v1/devices/{device}/head` answers it
/// as `{device, seq, hash, position}` (written by ``jsonValue(of:)``, read by `Decodable`); the event
/// store keeps one per device to check the next append.
public struct DeviceHead: Sendable, Hashable {
    public var seq: Int64
    public var hash: SHA256Digest
    public var position: Int64

    public init(seq: Int64, hash: SHA256Digest, position: Int64) {
        self.seq = seq
        self.hash = hash
        self.position = position
    }

    /// The head of a device of which nothing is held.
    public static let none = DeviceHead(seq: 0, hash: .zero, position: 0)

    /// The answer for `device`.
    public func jsonValue(of device: DeviceID) -> JSONValue {
        [
            "device": .string(device.rawValue), "seq": .integer(seq), "hash": .string(hash.hex),
            "position": .integer(position),
        ]
    }
}

/// Reads `seq`, `hash` and `position`; the answer's `device` is the one asked about.
extension DeviceHead: Decodable {
    private enum CodingKeys: String, CodingKey {
        case seq, hash, position
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            seq: try members.decode(Int64.self, forKey: .seq),
            hash: try members.decode(SHA256Digest.self, forKey: .hash),
            position: try members.decode(Int64.self, forKey: .position))
    }
}
