/// Why a JSON text was refused, and where: the byte offset from the start of the text.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The offset, in bytes from the start of the text, where the problem was found.
    public var offset: Int
    public var reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// What is wrong at ``offset``.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        case unexpectedEnd
        case unexpected(found: UInt8, expected: String)
        case invalidUTF8
        /// The text starts with the UTF-8 byte order mark (EF BB BF), which the protocol does not allow.
        case byteOrderMark
        case controlCharacterInString
        case invalidEscape
        case loneSurrogate
        case nullCharacter
        case duplicateKey(String)
        case numberNotInteger
        case numberOutOfRange
        case leadingZero
        case tooDeep(limit: Int)
        case trailingContent

        public var description: String {
            switch self {
            case .unexpectedEnd:
                "the text ends too early"
            case .unexpected(let found, let expected):
                "found \(Self.describe(found)), expected \(expected)"
            case .invalidUTF8:
                "invalid UTF-8"
            case .byteOrderMark:
                "a byte order mark (EF BB BF) before the value; send UTF-8 without one"
            case .controlCharacterInString:
                "a control character (below U+0020) must be escaped inside a string"
            case .invalidEscape:
                "invalid escape sequence (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
            case .loneSurrogate:
                "a \\u escape names a lone UTF-16 surrogate"
            case .nullCharacter:
                "U+0000 is not allowed in strings"
            case .duplicateKey(let key):
                "duplicate object member \"\(key)\""
            case .numberNotInteger:
                "numbers must be integers (no fraction, no exponent)"
            case .numberOutOfRange:
                "integer outside ±(2^53 − 1)"
            case .leadingZero:
                "numbers must not have leading zeros"
            case .tooDeep(let limit):
                "arrays and objects nested \(limit + 1) levels deep; at most \(limit) levels are allowed"
            case .trailingContent:
                "content after the end of the JSON value"
            }
        }

        static func describe(_ byte: UInt8) -> String {
            if byte >= 0x21 && byte < 0x7f {
                return "'\(String(UnicodeScalar(byte)))'"
            }
            return "byte 0x" + Hex.encode([byte])
        }
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
