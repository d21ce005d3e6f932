/// A UUID, written in lowercase as 8-4-4-4-12 hexadecimal digits: the id of an event.
///
/// Devices make the ids of their events with ``random()`` (version 4). Any UUID in the lowercase
/// text form is accepted as an id; the same type serves for any other UUID the protocol needs.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first and last eight of the sixteen bytes, big-endian.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A UUID from its sixteen bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard let id = Array(bytes).withUnsafeBufferPointer({ EventID(bytes: $0) }) else { return nil }
        self = id
    }

    /// A UUID from its sixteen bytes where they are (a database column's, say); nil for any other length.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let raw = UnsafeRawBufferPointer(bytes)
        self.high = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        self.low = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// A version 4 (random) UUID from the secure random generator.
    public static func random() -> EventID {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        return EventID(bytes: bytes)!
    }

    /// ``init(_:)`` for a `String`, as read from storage for every event: no generic code on the way.
    public init?(_ text: String) {
        var text = text
        guard let id = text.withUTF8(Self.parse) else { return nil }
        self = id
    }

    /// ``init(_:)`` for UTF-8 text read in place, as storage returns it.
    public init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let id = Self.parse(utf8) else { return nil }
        self = id
    }

    /// Parses the lowercase 8-4-4-4-12 form; nil for anything else (uppercase, braces, no dashes).
    public init?(_ text: some StringProtocol) {
        guard let id = Hex.withUTF8(of: text, Self.parse) else { return nil }
        self = id
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> EventID? {
        guard utf8.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        for offset in 0..<36 {
            let byte = utf8[offset]
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
            if nibbles < 16 { high = high << 4 | value } else { low = low << 4 | value }
            nibbles += 1
        }
        return EventID(high: high, low: low)
    }

    /// The sixteen bytes.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// Appends the lowercase 8-4-4-4-12 form to `out`.
    public func write(into out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { out.append(UInt8(ascii: "-")) }
            let word = nibble < 16 ? high : low
            let shift = UInt64(60 - 4 * (nibble % 16))
            out.append(digits.utf8Start[Int(word >> shift & 0x0f)])
        }
    }

    /// The lowercase 8-4-4-4-12 form.
    public var description: String {
        var out = [UInt8]()
        out.reserveCapacity(36)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Orders ids as their lowercase text forms order: the tie-break between events of equal time.
    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
