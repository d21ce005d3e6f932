import Testing

@testable import FieldSyncModel

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(
            #" { "a" : [1, -2, 0, true, false, null, "x\ty\u00e9\ud83d\ude00"], "b": {}, "c": [] } "#)
        #expect(
            value
                == [
                    "a": [1, -2, 0, true, false, nil, "x\ty\u{e9}\u{1F600}"], "b": .object([:]), "c": .array([]),
                ])
    }

    @Test func keepsIntegersExactUpTo2To53() throws {
        #expect(try JSONParser.parse("9007199254740991") == .integer(9_007_199_254_740_991))
        #expect(try JSONParser.parse("-9007199254740991") == .integer(-9_007_199_254_740_991))
        #expect(try JSONParser.parse("-0") == .integer(0))
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var text: [UInt8]
        var offset: Int
        var reason: JSONParseError.Reason
        var testDescription: String { String(decoding: text, as: UTF8.self) }

        init(_ text: String, _ offset: Int, _ reason: JSONParseError.Reason) {
            self.text = Array(text.utf8)
            self.offset = offset
            self.reason = reason
        }

        init(bytes: [UInt8], _ offset: Int, _ reason: JSONParseError.Reason) {
            self.text = bytes
            self.offset = offset
            self.reason = reason
        }
    }

    @Test(arguments: [
        Refusal("1.5", 0, .numberNotInteger),
        Refusal("[1e3]", 1, .numberNotInteger),
        Refusal("1.0", 0, .numberNotInteger),
        Refusal("9007199254740992", 0, .numberOutOfRange),
        Refusal("-9007199254740992", 0, .numberOutOfRange),
        Refusal("123456789012345678901", 0, .numberOutOfRange),
        Refusal("012", 0, .leadingZero),
        Refusal("{\"a\":1,\"a\":2}", 7, .duplicateKey("a")),
        Refusal("\"a\\u0000b\"", 2, .nullCharacter),
        Refusal("\"\\ud800\"", 1, .loneSurrogate),
        Refusal("\"\\udc00\"", 1, .loneSurrogate),
        Refusal("\"\\ud800\\u0041\"", 1, .loneSurrogate),
        Refusal("\"\\x\"", 1, .invalidEscape),
        Refusal("\"a\nb\"", 2, .controlCharacterInString),
        Refusal(bytes: [0x22, 0xc3, 0x28, 0x22], 1, .invalidUTF8),
        Refusal(bytes: [0x22, 0xc0, 0xaf, 0x22], 1, .invalidUTF8),
        Refusal(bytes: [0x22, 0xed, 0xa0, 0x80, 0x22], 1, .invalidUTF8),
        Refusal(bytes: [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], 1, .invalidUTF8),
        Refusal(bytes: [0x22, 0x00, 0x22], 1, .nullCharacter),
        Refusal("{} x", 3, .trailingContent),
        Refusal("[1,]", 3, .unexpected(found: UInt8(ascii: "]"), expected: "a JSON value")),
        Refusal("{\"a\" 1}", 5, .unexpected(found: UInt8(ascii: "1"), expected: "':' after a member name")),
        Refusal("[1 2]", 3, .unexpected(found: UInt8(ascii: "2"), expected: "',' or ']'")),
        Refusal("{\"a\":1", 6, .unexpectedEnd),
        Refusal("", 0, .unexpectedEnd),
        Refusal("tru", 3, .unexpectedEnd),
        Refusal("NaN", 0, .unexpected(found: UInt8(ascii: "N"), expected: "a JSON value")),
        Refusal("\u{FEFF}{}", 0, .byteOrderMark),
        Refusal("[\u{FEFF}]", 1, .unexpected(found: 0xef, expected: "a JSON value")),
        Refusal(String(repeating: "[", count: 65) + String(repeating: "]", count: 65), 64, .tooDeep(limit: 64)),
    ])
    func refusesWithOffsetAndReason(_ refusal: Refusal) {
        #expect(throws: JSONParseError(offset: refusal.offset, reason: refusal.reason)) {
            try JSONParser.parse(refusal.text)
        }
    }

    @Test func acceptsSixtyFourLevels() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser.parse(text)
    }

    @Test func errorsSayWhereAndWhat() {
        let error = JSONParseError(offset: 7, reason: .duplicateKey("a"))
        #expect(error.description == "invalid JSON at byte 7: duplicate object member \"a\"")
        #expect(
            JSONParseError(offset: 64, reason: .tooDeep(limit: 64)).description
                == "invalid JSON at byte 64: arrays and objects nested 65 levels deep; at most 64 levels are allowed")
        #expect(JSONParseError(offset: 0, reason: .byteOrderMark).description.contains("byte order mark"))
    }

    /// Hostile nesting, far past the limit, is refused where it crosses the limit: the parser's
    /// recursion never goes deeper than 64 levels, whatever the text.
    @Test(arguments: [
        String(repeating: "[", count: 100_000),
        String(repeating: #"{"a":"#, count: 100_000),
        String(repeating: #"[{"a":"#, count: 50_000),
        String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
    ])
    func hostileNestingStopsAtTheLimit(_ text: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.reason == .tooDeep(limit: JSONParser.maximumDepth))
        #expect(error?.description.contains("65 levels deep; at most 64") == true)
    }

    @Test func roundTripsRandomValues() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let value = RandomJSON.value(depth: 0, random: &random)
            let canonical = CanonicalJSON.bytes(value)
            #expect(try JSONParser.parse(canonical) == value)
            let pretty = RandomJSON.looseText(value, random: &random)
            #expect(try JSONParser.parse(Array(pretty.utf8)) == value)
        }
    }
}
