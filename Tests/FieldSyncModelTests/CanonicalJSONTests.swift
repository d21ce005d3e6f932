import Testing

@testable import FieldSyncModel

@Suite struct CanonicalJSONTests {
    /// RFC 8785 §3.2.3: members sorted by UTF-16 code units.
    @Test func sortsMembersByUTF16CodeUnits() throws {
        let value = try JSONParser.parse(
            #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        )
        let keys = CanonicalJSON.sortedKeys(value.objectValue!)
        #expect(keys == ["\r", "1", "\u{80}", "\u{F6}", "\u{20AC}", "\u{1F600}", "\u{FB33}"])
    }

    /// RFC 8785 §3.2.2.2: string escaping as ECMAScript's JSON.stringify.
    @Test func escapesStringsAsJSONStringify() throws {
        let value = try JSONParser.parse(#"["\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "\u2028\u007f\b\f\r\t"]"#)
        #expect(CanonicalJSON.string(value) == "[\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"\u{2028}\u{7F}\\b\\f\\r\\t\"]")
    }

    @Test func writesIntegersAndLiteralsPlainly() {
        let value: JSONValue = ["b": [0, -1, 9_007_199_254_740_991, -9_007_199_254_740_991], "a": [true, false, nil]]
        #expect(
            CanonicalJSON.string(value) == #"{"a":[true,false,null],"b":[0,-1,9007199254740991,-9007199254740991]}"#)
    }

    @Test func utf16OrderAgreesWithTheStandardLibrary() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<5000 {
            let a = RandomJSON.string(random: &random)
            let b = random.chance(0.3) ? a + RandomJSON.string(random: &random) : RandomJSON.string(random: &random)
            #expect(CanonicalJSON.precedesInUTF16Order(a, b) == a.utf16.lexicographicallyPrecedes(b.utf16))
        }
    }

    /// Whatever order and whitespace a value is written in, its canonical form is the same, and
    /// canonicalising the canonical form changes nothing.
    @Test func canonicalFormIsStableUnderRewriting() throws {
        var random = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let value = RandomJSON.value(depth: 0, random: &random)
            let canonical = CanonicalJSON.bytes(value)
            let rewritten = try JSONParser.parse(Array(RandomJSON.looseText(value, random: &random).utf8))
            #expect(CanonicalJSON.bytes(rewritten) == canonical)
            #expect(CanonicalJSON.bytes(try JSONParser.parse(canonical)) == canonical)
        }
    }

    @Test func appendsToAReusedBuffer() {
        var buffer: [UInt8] = Array("x".utf8)
        CanonicalJSON.write(["k": "v"], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"x{"k":"v"}"#)
    }
}
