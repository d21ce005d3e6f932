/// The canonical form of JSON values, RFC 8785 (JSON Canonicalization Scheme), for the values the
/// protocol allows: object members sorted by the UTF-16 code units of their names, strings escaped
/// as ECMAScript's `JSON.stringify` does, integers in plain decimal, no whitespace.
///
/// This is the form that is hashed and signed. Integers beyond ±(2^53 − 1) are never produced by
/// the parser; a value built in code must stay within that range for its form to match RFC 8785.
public enum CanonicalJSON {
    /// Appends the canonical form of `value` to `out`, a buffer the caller may reuse.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null:
            append("null", to: &out)
        case .bool(let bool):
            append(bool ? "true" : "false", to: &out)
        case .integer(let integer):
            writeInteger(integer, into: &out)
        case .string(let string):
            writeString(string, into: &out)
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for (offset, element) in array.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            writeObject(object, into: &out)
        }
    }

    /// The canonical form of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// The canonical form of `value`, as text.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Appends an object's members in canonical order.
    public static func writeObject(_ object: [String: JSONValue], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for key in sortedKeys(object) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(object[key]!, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The member names of an object in canonical order.
    public static func sortedKeys(_ object: [String: JSONValue]) -> [String] {
        object.keys.sorted(by: precedesInUTF16Order)
    }

    /// Appends a string as `JSON.stringify` writes it: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
    /// other characters below U+0020 as `\u00xx` in lowercase hex, everything else as UTF-8.
    public static func writeString(_ string: String, into out: inout [UInt8]) {
        var string = string
        string.withUTF8 { writeString(utf8: $0, into: &out) }
    }

    static func writeString(utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0a: out.append(UInt8(ascii: "n"))
            case 0x0c: out.append(UInt8(ascii: "f"))
            case 0x0d: out.append(UInt8(ascii: "r"))
            default:
                let digits: StaticString = "0123456789abcdef"
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(digits.utf8Start[Int(byte >> 4)])
                out.append(digits.utf8Start[Int(byte & 0x0f)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in plain decimal.
    public static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// Whether `a` sorts before `b` when both are compared as sequences of UTF-16 code units,
    /// the order RFC 8785 gives object members.
    ///
    /// UTF-8 byte order is code point order, which agrees with UTF-16 order except between
    /// characters above U+FFFF (written in UTF-16 with surrogates D800–DFFF) and U+E000–U+FFFF.
    /// So the bytes are compared directly, and only the first differing character is looked at
    /// more closely.
    public static func precedesInUTF16Order(_ a: String, _ b: String) -> Bool {
        let result = a.utf8.withContiguousStorageIfAvailable { ua in
            b.utf8.withContiguousStorageIfAvailable { ub in precedesInUTF16Order(ua, ub) }
        }
        if let result, let result { return result }
        return a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    static func precedesInUTF16Order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        var index = 0
        while index < common && a[index] == b[index] { index += 1 }
        if index == common { return a.count < b.count }
        if a[index] < 0x80 && b[index] < 0x80 { return a[index] < b[index] }
        var start = index
        while start > 0 && a[start] & 0xc0 == 0x80 { start -= 1 }
        let unitA = firstUTF16Unit(a, at: start)
        let unitB = firstUTF16Unit(b, at: start)
        if unitA != unitB { return unitA < unitB }
        return a[index] < b[index]
    }

    /// The first UTF-16 code unit of the character whose UTF-8 form starts at `start`.
    private static func firstUTF16Unit(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt32 {
        let lead = bytes[start]
        var scalar: UInt32
        var length: Int
        switch lead {
        case 0..<0x80: return UInt32(lead)
        case 0xc0..<0xe0:
            scalar = UInt32(lead & 0x1f)
            length = 2
        case 0xe0..<0xf0:
            scalar = UInt32(lead & 0x0f)
            length = 3
        default:
            scalar = UInt32(lead & 0x07)
            length = 4
        }
        for offset in 1..<length where start + offset < bytes.count {
            scalar = scalar << 6 | UInt32(bytes[start + offset] & 0x3f)
        }
        return scalar >= 0x10000 ? 0xd800 + ((scalar - 0x10000) >> 10) : scalar
    }

    private static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
