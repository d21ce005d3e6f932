import FieldSyncModel

/// A one-time enrollment code: 16 characters of Crockford's base32 (80 random bits), written in groups
/// of four, such as `K7QF-2M9X-4RTA-8HCV`. Easy to read aloud and to type: no I, L, O or U; case,
/// dashes and spaces do not matter, and O, I and L typed by mistake read as 0, 1 and 1.
///
/// Only its SHA-256 (of the normal form, without dashes) is stored. A code is a secret: never log it.
public struct EnrollmentCode: Sendable, Hashable, CustomStringConvertible {
    /// The 16 characters, upper case, without dashes.
    public let normalized: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 16

    /// A new random code.
    public static func make() -> EnrollmentCode {
        let bytes = SecureRandom.bytes(10)
        var bits: UInt64 = 0
        var count = 0
        var characters = [Character]()
        for byte in bytes {
            bits = bits << 8 | UInt64(byte)
            count += 8
            while count >= 5 {
                count -= 5
                characters.append(alphabet[Int(bits >> UInt64(count) & 31)])
            }
        }
        return EnrollmentCode(normalized: String(characters))
    }

    private init(normalized: String) {
        self.normalized = normalized
    }

    /// A code as someone typed it; nil unless it has 16 base32 characters once dashes and spaces are removed.
    public init?(typed text: String) {
        var characters = [Character]()
        for character in text.uppercased() where character != "-" && character != " " {
            switch character {
            case "O": characters.append("0")
            case "I", "L": characters.append("1")
            default:
                guard Self.alphabet.contains(character) else { return nil }
                characters.append(character)
            }
        }
        guard characters.count == Self.length else { return nil }
        self.normalized = String(characters)
    }

    /// The code in groups of four: `K7QF-2M9X-4RTA-8HCV`.
    public var description: String {
        stride(from: 0, to: Self.length, by: 4).map { offset in
            let start = normalized.index(normalized.startIndex, offsetBy: offset)
            return String(normalized[start..<normalized.index(start, offsetBy: 4)])
        }.joined(separator: "-")
    }

    /// What is stored.
    var hash: SHA256Digest { SHA256Digest.hash(normalized) }
}
