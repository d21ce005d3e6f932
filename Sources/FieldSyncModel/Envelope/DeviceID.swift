/// Who made an event: a device, named by 20 lowercase hex digits (the first 10 bytes of the
/// SHA-256 of its raw Ed25519 public key), or the server itself, named `server`.
public struct DeviceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 20 hex digits, or `server`.
    public let rawValue: String

    /// The server's own device id, the author of reference events.
    public static let server = DeviceID(unchecked: "server")

    init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    /// The device id of the holder of `publicKey`.
    public init(publicKey: PublicKey) {
        let digest = SHA256Digest.hash(publicKey.rawRepresentation)
        self.rawValue = Hex.encode(digest.bytes.prefix(10))
    }

    /// A device id from its text: 20 lowercase hex digits or `server`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        if text == "server" {
            self = .server
            return
        }
        guard text.utf8.count == 20, Hex.isHex(text) else { return nil }
        self.rawValue = String(text)
    }

    /// A device id from an event's `source`: `/devices/<id>`, or `/server` for the server.
    public init?(source: some StringProtocol) {
        if source == "/server" {
            self = .server
            return
        }
        guard source.hasPrefix("/devices/") else { return nil }
        let id = source.dropFirst("/devices/".count)
        guard id != "server", let device = DeviceID(id) else { return nil }
        self = device
    }

    /// Whether this is the server's own id.
    public var isServer: Bool { rawValue == "server" }

    /// The `source` of the events of this device: `/devices/<id>`, or `/server`.
    public var source: String { isServer ? "/server" : "/devices/" + rawValue }

    public var description: String { rawValue }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.rawValue < rhs.rawValue }
}
