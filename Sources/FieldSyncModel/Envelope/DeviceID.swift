/// Who made an event: a device, named by 20 lowercase hex digits (the first 10 bytes of the
/// SHA-256 of its raw Ed25519 public key), or the server itself, named `server`.
///
/// Held as its 10 bytes, inline: a device id is a key of every per-device table (the reference data's
/// devices and their coverage, a fold's locations, push rates), and a national day has about 181,000 of
/// them. Its text (``rawValue``) is made when asked for. Ids order as their text does: by their bytes,
/// `server` last.
public struct DeviceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first 8 bytes, big-endian, so that comparing the numbers compares the bytes.
    private let high: UInt64
    /// The last 2 bytes, big-endian.
    private let low: UInt16
    /// Whether this is ``server`` (whose bytes are all zero).
    public let isServer: Bool

    /// The server's own device id, the author of reference events.
    public static let server = DeviceID(high: 0, low: 0, isServer: true)

    private init(high: UInt64, low: UInt16, isServer: Bool) {
        self.high = high
        self.low = low
        self.isServer = isServer
    }

    /// A device id of its 10 bytes.
    private init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 10, "a device id is 10 bytes")
        var high: UInt64 = 0
        var low: UInt16 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt16(byte) }
        }
        self.init(high: high, low: low, isServer: false)
    }

    /// A device id of its 20 hex digits, read in place; nil for any other text.
    private init?(hexDigits utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 20 else { return nil }
        var high: UInt64 = 0
        var low: UInt16 = 0
        for index in 0..<20 {
            guard let value = Hex.value(utf8[index]) else { return nil }
            if index < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt16(value) }
        }
        self.init(high: high, low: low, isServer: false)
    }

    /// The device id of the holder of `publicKey`.
    public init(publicKey: PublicKey) {
        self.init(bytes: SHA256Digest.hash(publicKey.rawRepresentation).bytes.prefix(10))
    }

    /// ``init(_:)`` for a `String`, as read from storage for every event: no generic code on the way.
    public init?(_ text: String) {
        var text = text
        guard let device = text.withUTF8({ DeviceID(utf8: $0) }) else { return nil }
        self = device
    }

    /// ``init(_:)`` for UTF-8 text read in place, as storage returns it.
    public init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let device = DeviceID(hexDigits: utf8) ?? (utf8.elementsEqual("server".utf8) ? .server : nil) else {
            return nil
        }
        self = device
    }

    /// A device id from its text: 20 lowercase hex digits or `server`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        if text == "server" {
            self = .server
            return
        }
        guard let device = Hex.withUTF8(of: text, { DeviceID(hexDigits: $0) }) else { return nil }
        self = device
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

    /// The 20 hex digits, or `server`.
    public var rawValue: String {
        guard !isServer else { return "server" }
        let digits = Hex.digits
        return String(unsafeUninitializedCapacity: 20) { text in
            for index in 0..<16 { text[index] = digits[Int(high >> (60 - 4 * UInt64(index)) & 0xf)] }
            for index in 0..<4 { text[16 + index] = digits[Int(low >> (12 - 4 * UInt16(index)) & 0xf)] }
            return 20
        }
    }

    /// The `source` of the events of this device: `/devices/<id>`, or `/server`.
    public var source: String { isServer ? "/server" : "/devices/" + rawValue }

    public var description: String { rawValue }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool {
        (lhs.isServer ? 1 : 0, lhs.high, lhs.low) < (rhs.isServer ? 1 : 0, rhs.high, rhs.low)
    }
}
