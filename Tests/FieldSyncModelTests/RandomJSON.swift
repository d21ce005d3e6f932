@testable import FieldSyncModel

/// Random JSON values and random (but equivalent) ways of writing them, for property tests.
enum RandomJSON {
    static let alphabet: [Unicode.Scalar] = [
        "a", "b", "z", "A", "0", " ", "\"", "\\", "/", "\u{08}", "\u{0C}", "\n", "\r", "\t", "\u{01}", "\u{1F}",
        "\u{7F}", "\u{80}", "\u{E9}", "\u{20AC}", "\u{2028}", "\u{E000}", "\u{FB33}", "\u{FFFF}", "\u{10000}",
        "\u{1F600}", "\u{10FFFF}",
    ]

    static func string(random: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<random.next(below: 8) { scalars.append(random.pick(alphabet)) }
        return String(scalars)
    }

    static func value(depth: Int, random: inout SplitMix64) -> JSONValue {
        let kind = random.next(below: depth >= 4 ? 4 : 6)
        switch kind {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2:
            let magnitude = Int64(random.next() % UInt64(JSONValue.maxSafeInteger + 1))
            let small = Int64(random.next(below: 1000))
            let chosen = random.chance(0.5) ? magnitude : small
            return .integer(random.chance(0.5) ? chosen : -chosen)
        case 3: return .string(string(random: &random))
        case 4: return .array((0..<random.next(below: 5)).map { _ in value(depth: depth + 1, random: &random) })
        default:
            var object = [String: JSONValue]()
            for _ in 0..<random.next(below: 6) {
                object[string(random: &random)] = value(depth: depth + 1, random: &random)
            }
            return .object(object)
        }
    }

    /// The value written with random whitespace, random member order and random (valid) escapes.
    static func looseText(_ value: JSONValue, random: inout SplitMix64) -> String {
        let space = [" ", "\n", "\t", "\r\n", ""]
        func ws() -> String { random.chance(0.3) ? random.pick(space) : "" }
        switch value {
        case .null: return ws() + "null" + ws()
        case .bool(let bool): return ws() + (bool ? "true" : "false") + ws()
        case .integer(let integer): return ws() + String(integer) + ws()
        case .string(let string): return ws() + looseString(string, random: &random) + ws()
        case .array(let array):
            return ws() + "[" + array.map { looseText($0, random: &random) }.joined(separator: ",") + ws() + "]"
        case .object(let object):
            let members = random.shuffled(object.keys.sorted()).map {
                looseString($0, random: &random) + ws() + ":" + looseText(object[$0]!, random: &random)
            }
            return ws() + "{" + ws() + members.joined(separator: ",") + ws() + "}" + ws()
        }
    }

    static func looseString(_ string: String, random: inout SplitMix64) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            let escapeAnyway = random.chance(0.3)
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += escapeAnyway ? "\\/" : "/"
            case _ where scalar.value < 0x20 || escapeAnyway:
                if scalar.value >= 0x10000 {
                    let v = scalar.value - 0x10000
                    out += "\\u" + hex4(0xD800 + (v >> 10)) + "\\u" + hex4(0xDC00 + (v & 0x3FF))
                } else {
                    out += "\\u" + (random.chance(0.5) ? hex4(scalar.value) : hex4(scalar.value).uppercased())
                }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<4).map { digits[Int(value >> (12 - 4 * UInt32($0)) & 0xf)] })
    }
}
