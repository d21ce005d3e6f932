/// A pull reader over the UTF-8 bytes of one flat JSON object whose members are all integers, booleans,
/// ASCII strings without escapes or arrays of such strings — what most events' `data` is — read member by
/// member, with no tree.
///
/// It reads a subset of what ``JSONParser`` accepts, with the same rules for what it reads (integers
/// without leading zeros, fractions or exponents, within ±(2^53 − 1); whitespace between tokens; nothing
/// after the object), and gives up on anything else: an object or any other array as a value, `null`, an
/// escape, a byte outside printable ASCII in a string. Giving up is not an error: the
/// caller then parses the text into a tree, which accepts or reports it exactly as before. Duplicate
/// members are the caller's to refuse (it knows which names it reads).
struct PlainObject {
    /// A member's value: an integer, `true` or `false`, a string's bytes between its quotes (printable
    /// ASCII, no escape), or an array of such strings, in order.
    enum Value {
        case integer(Int64)
        case bool(Bool)
        case string(UnsafeBufferPointer<UInt8>)
        case strings([UnsafeBufferPointer<UInt8>])
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// Calls `body` with each member's name (its bytes between the quotes) and value, in the order
    /// written, while it returns true. Returns whether the whole text was such an object and `body`
    /// took every member.
    static func forEachMember(
        of bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Value) -> Bool
    ) -> Bool {
        var reader = PlainObject(bytes: bytes)
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "{")) else { return false }
        reader.skipWhitespace()
        if !reader.take(UInt8(ascii: "}")) {
            while true {
                reader.skipWhitespace()
                guard let name = reader.string() else { return false }
                reader.skipWhitespace()
                guard reader.take(UInt8(ascii: ":")) else { return false }
                reader.skipWhitespace()
                guard let value = reader.value(), body(name, value) else { return false }
                reader.skipWhitespace()
                if reader.take(UInt8(ascii: "}")) { break }
                guard reader.take(UInt8(ascii: ",")) else { return false }
            }
        }
        reader.skipWhitespace()
        return reader.index == bytes.count
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func value() -> Value? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") { return string().map { .string($0) } }
        if bytes[index] == UInt8(ascii: "[") { return strings().map { .strings($0) } }
        if literal("true") { return .bool(true) }
        if literal("false") { return .bool(false) }
        return integer().map { .integer($0) }
    }

    /// Takes `word` (`true` or `false`) if the bytes from here spell it.
    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            UnsafeBufferPointer(rebasing: bytes[index..<(index + count)]).equals(word)
        else { return false }
        index += count
        return true
    }

    /// An array whose elements are all strings ``string()`` reads, from its opening bracket.
    private mutating func strings() -> [UnsafeBufferPointer<UInt8>]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var elements: [UnsafeBufferPointer<UInt8>] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return elements }
        while true {
            skipWhitespace()
            guard let element = string() else { return nil }
            elements.append(element)
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return elements }
            guard take(UInt8(ascii: ",")) else { return nil }
        }
    }

    /// A string of printable ASCII without escapes, from its opening quote.
    private mutating func string() -> UnsafeBufferPointer<UInt8>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
            guard byte >= 0x20, byte < 0x7f, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// An integer as ``JSONParser`` reads one.
    private mutating func integer() -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index].isASCIIDigit {
            value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
            index += 1
            if index - start > 16 || value > JSONValue.maxSafeInteger { return nil }
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        return negative ? -value : value
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `literal`'s.
    func equals(_ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount
            && elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

extension PlainObject.Value {
    /// A string that is an RFC 3339 time (``ObservedTime``, which keeps its text as written).
    var time: ObservedTime? {
        guard case .string(let text) = self else { return nil }
        return ObservedTime(utf8: text)
    }

    /// A string that is a device id as ``DeviceID/rawValue`` writes it: 20 lowercase hexadecimal digits,
    /// not `server` (an id written otherwise would not hash as its payload writes it).
    var device: DeviceID? {
        guard case .string(let text) = self, let id = DeviceID(utf8: text), !id.isServer,
            text.elementsEqual(id.rawValue.utf8)
        else { return nil }
        return id
    }
}
