/// A one-time enrollment code: 16 characters of Crockford's base32, written in groups of four, such as
/// `K7QF-2M9X-4RTA-8HCV`. Easy to read aloud and to type: no I, L, O or U; case, dashes and spaces do
/// not matter, and O, I and L typed by mistake read as 0, 1 and 1.
///
/// The first two groups are random (40 bits). The last two are a **check** over the server key's
/// fingerprint and the random groups (PROTOCOL.md §4.1): the device that enrolls with the code
/// recomputes them from the server key the enrollment answer carries, and refuses an answer signed by
/// any other key. Only the code's SHA-256 is stored on the server. A code is a secret: never log it.
public struct EnrollmentCode: Sendable, Hashable, CustomStringConvertible {
    /// The 16 characters, upper case, without dashes.
    public let normalized: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 16
    /// How many characters are random; the rest are the check.
    static let randomLength = 8
    /// What the check hashes first, so that it can never be mistaken for another hash of the protocol.
    static let checkLabel = "fieldsync-enrollment-code-v1"

    /// A new code bound to `serverKey`: 5 random bytes, then their check.
    public static func make(boundTo serverKey: PublicKey) -> EnrollmentCode {
        make(random: SecureRandom.bytes(5), boundTo: serverKey)
    }

    /// The code of 5 given bytes (the random groups) bound to `serverKey`.
    static func make(random bytes: [UInt8], boundTo serverKey: PublicKey) -> EnrollmentCode {
        precondition(bytes.count == 5, "an enrollment code has 40 random bits")
        let random = base32(bytes)
        return EnrollmentCode(normalized: random + check(random: random, serverKey: serverKey))
    }

    /// The 8 check characters of a code whose random groups are `random`, for `serverKey`: the first 5
    /// bytes of SHA-256(`fieldsync-enrollment-code-v1` ‖ 0x00 ‖ fingerprint ‖ `random`) in base32.
    static func check(random: String, serverKey: PublicKey) -> String {
        let input = Array(checkLabel.utf8) + [0] + serverKey.fingerprint.bytes + Array(random.utf8)
        return base32(Array(SHA256Digest.hash(input).bytes.prefix(5)))
    }

    /// Crockford's base32 of a multiple of 5 bytes, most significant bits first.
    static func base32(_ bytes: [UInt8]) -> String {
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
        return String(characters)
    }

    private init(normalized: String) {
        self.normalized = normalized
    }

    /// A code as someone typed it; nil unless it has 16 base32 characters once dashes and spaces are
    /// removed. Whether its check holds is a separate question: ``isBound(to:)``.
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

    /// Whether the code's check groups are those of `serverKey`: false when the code was made by a
    /// server with another key, or was mistyped in its last two groups.
    public func isBound(to serverKey: PublicKey) -> Bool {
        let random = String(normalized.prefix(Self.randomLength))
        return normalized.dropFirst(Self.randomLength) == Self.check(random: random, serverKey: serverKey)
    }

    /// The code in groups of four: `K7QF-2M9X-4RTA-8HCV`.
    public var description: String {
        stride(from: 0, to: Self.length, by: 4).map { offset in
            let start = normalized.index(normalized.startIndex, offsetBy: offset)
            return String(normalized[start..<normalized.index(start, offsetBy: 4)])
        }.joined(separator: "-")
    }

    /// What the server stores: SHA-256 of the normal form.
    public var hash: SHA256Digest { SHA256Digest.hash(normalized) }
}
