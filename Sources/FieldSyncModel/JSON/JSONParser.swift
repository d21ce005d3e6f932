/// A strict RFC 8259 parser over UTF-8 bytes, with the protocol's restrictions:
/// integers only, within ±(2^53 − 1); no duplicate object members; no U+0000 in strings;
/// no lone surrogates; valid UTF-8 only, without a byte order mark; at most
/// ``JSONParser/maximumDepth`` levels of nesting; nothing but whitespace after the value.
///
/// The depth is checked before each array or object is entered, so however deep a hostile text
/// nests, the parser's recursion stops at the limit.
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted (the outermost one is level 1).
    public static let maximumDepth = 64

    /// Parses one JSON text.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parseResult(buffer)
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { parseResult($0) }.get()
    }

    /// Parses one JSON text given as a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { parseResult($0) }.get()
    }

    /// Parses one JSON text from raw memory.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        try parseResult(buffer).get()
    }

    static func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var reader = JSONReader(bytes: buffer)
        do throws(JSONParseError) {
            return .success(try reader.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

/// The parser's cursor over the bytes of one JSON text.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf {
            throw fail(.byteOrderMark)
        }
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw JSONParseError(offset: index, reason: .trailingContent) }
        return value
    }

    private func fail(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, reason: reason)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        return bytes[index]
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw fail(.unexpected(found: byte, expected: "a JSON value"))
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            let byte = try peek()
            guard byte == start[offset] else {
                throw fail(.unexpected(found: byte, expected: "\"\(literal)\""))
            }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw fail(.tooDeep(limit: JSONParser.maximumDepth)) }
        index += 1
        var object = [String: JSONValue]()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        object.reserveCapacity(8)
        while true {
            skipWhitespace()
            let keyStart = index
            let byte = try peek()
            guard byte == UInt8(ascii: "\"") else {
                throw fail(.unexpected(found: byte, expected: "a member name in double quotes"))
            }
            let key = try parseString()
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else {
                throw fail(.unexpected(found: colon, expected: "':' after a member name"))
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if object.updateValue(value, forKey: key) != nil {
                throw fail(.duplicateKey(key), at: keyStart)
            }
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { return .object(object) }
            index -= 1
            throw fail(.unexpected(found: next, expected: "',' or '}'"))
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw fail(.tooDeep(limit: JSONParser.maximumDepth)) }
        index += 1
        var array = [JSONValue]()
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "]") { return .array(array) }
            index -= 1
            throw fail(.unexpected(found: next, expected: "',' or ']'"))
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> Int64 {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let first = try peek()
        guard first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw fail(.unexpected(found: first, expected: "a digit"))
        }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            if digits == 1 && value == 0 { throw fail(.leadingZero, at: start) }
            value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
            digits += 1
            if digits > 16 || value > JSONValue.maxSafeInteger { throw fail(.numberOutOfRange, at: start) }
            index += 1
        }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                throw fail(.numberNotInteger, at: start)
            default:
                break
            }
        }
        return negative ? -value : value
    }

    /// Parses a string starting at its opening quote. ASCII strings without escapes, by far the
    /// most common, are made straight from the input bytes.
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        return try parseStringSlow(into: &out)
    }

    private mutating func parseStringSlow(into out: inout [UInt8]) throws(JSONParseError) -> String {
        while true {
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00:
                throw fail(.nullCharacter)
            case 0x01..<0x20:
                throw fail(.controlCharacterInString)
            case 0x20..<0x80:
                out.append(byte)
                index += 1
            default:
                try copyMultibyteCharacter(into: &out)
            }
        }
    }

    /// Copies one UTF-8 sequence of two to four bytes, refusing overlong forms, surrogates and
    /// anything above U+10FFFF.
    private mutating func copyMultibyteCharacter(into out: inout [UInt8]) throws(JSONParseError) {
        let lead = bytes[index]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xbf
        switch lead {
        case 0xc2...0xdf: length = 2
        case 0xe0:
            length = 3
            lowerBound = 0xa0
        case 0xe1...0xec, 0xee...0xef: length = 3
        case 0xed:
            length = 3
            upperBound = 0x9f
        case 0xf0:
            length = 4
            lowerBound = 0x90
        case 0xf1...0xf3: length = 4
        case 0xf4:
            length = 4
            upperBound = 0x8f
        default: throw fail(.invalidUTF8)
        }
        guard index + length <= bytes.count else { throw fail(.invalidUTF8) }
        let second = bytes[index + 1]
        guard second >= lowerBound, second <= upperBound else { throw fail(.invalidUTF8) }
        for offset in 2..<max(2, length) {
            let next = bytes[index + offset]
            guard next >= 0x80, next <= 0xbf else { throw fail(.invalidUTF8) }
        }
        for offset in 0..<length { out.append(bytes[index + offset]) }
        index += length
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try parseHex4(escapeStart: escapeStart))
            if scalar >= 0xdc00 && scalar <= 0xdfff { throw fail(.loneSurrogate, at: escapeStart) }
            if scalar >= 0xd800 && scalar <= 0xdbff {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail(.loneSurrogate, at: escapeStart) }
                let lowStart = index
                index += 2
                let low = UInt32(try parseHex4(escapeStart: lowStart))
                guard low >= 0xdc00 && low <= 0xdfff else { throw fail(.loneSurrogate, at: escapeStart) }
                scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
            }
            if scalar == 0 { throw fail(.nullCharacter, at: escapeStart) }
            appendUTF8(scalar, to: &out)
        default:
            throw fail(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw fail(.invalidEscape, at: escapeStart) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xc0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3f))
        case 0x800..<0x10000:
            out.append(UInt8(0xe0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3f))
            out.append(UInt8(0x80 | scalar & 0x3f))
        default:
            out.append(UInt8(0xf0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3f))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3f))
            out.append(UInt8(0x80 | scalar & 0x3f))
        }
    }
}
