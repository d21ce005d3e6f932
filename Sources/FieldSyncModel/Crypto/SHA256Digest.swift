import CCrypto

/// A SHA-256 digest: 32 bytes, written as 64 lowercase hexadecimal digits.
///
/// Held inline, as four words: every event carries two digests (its hash and its link to the one before),
/// and an array for each cost two allocations and the reference counting of every copy of an event —
/// a twentieth of a fold's time, and 160 bytes of every event a projector's cache holds.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    /// The bytes, eight to a word, the first byte the most significant.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The digest of nothing at all is never used as a link; chains start from ``zero``.
    public static let zero = SHA256Digest(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// A digest from 32 bytes in memory.
    init(uncheckedBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "a SHA-256 digest is 32 bytes")
        func word(_ index: Int) -> UInt64 {
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
        }
        self.init(words: (word(0), word(1), word(2), word(3)))
    }

    /// A digest from its 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { SHA256Digest(uncheckedBytes: $0) }
    }

    /// A digest from its 32 bytes where they are (a database column's, say); nil for any other length.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.init(uncheckedBytes: UnsafeRawBufferPointer(bytes))
    }

    /// A digest from 64 lowercase hexadecimal digits; nil for anything else.
    public init?(hex: some StringProtocol) {
        guard let digest = Hex.withUTF8(of: hex, { SHA256Digest(hexUTF8: $0) }) else { return nil }
        self = digest
    }

    /// A digest from 64 lowercase hexadecimal digits given as UTF-8 (a database column's text, say), read
    /// in place; nil for anything else.
    public init?(hexUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for index in 0..<64 {
            guard let value = Hex.value(utf8[index]) else { return nil }
            switch index / 16 {
            case 0: words.0 = words.0 << 4 | UInt64(value)
            case 1: words.1 = words.1 << 4 | UInt64(value)
            case 2: words.2 = words.2 << 4 | UInt64(value)
            default: words.3 = words.3 << 4 | UInt64(value)
            }
        }
        self.init(words: words)
    }

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: some Collection<UInt8>) -> SHA256Digest {
        if let digest = data.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(data).withUnsafeBytes { hash($0) }
    }

    /// The SHA-256 digest of the bytes in `data`.
    public static func hash(_ data: UnsafeRawBufferPointer) -> SHA256Digest {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { output in
            _ = CCrypto.SHA256(
                data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count,
                output.baseAddress!.assumingMemoryBound(to: UInt8.self))
            return SHA256Digest(uncheckedBytes: UnsafeRawBufferPointer(output))
        }
    }

    /// The SHA-256 digest of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> SHA256Digest {
        var text = text
        return text.withUTF8 { hash($0) }
    }

    /// Runs `body` on the 32 bytes, in order, without making an array of them.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var bigEndian = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try Swift.withUnsafeBytes(of: &bigEndian, body)
    }

    /// The 32 bytes of the digest, in a new array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// 64 lowercase hexadecimal digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { text in
            var out = 0
            writeHex { digit in
                text[out] = digit
                out += 1
            }
            return 64
        }
    }

    /// Appends the 64 lowercase hexadecimal digits to `out`.
    public func writeHex(into out: inout [UInt8]) {
        writeHex { out.append($0) }
    }

    private func writeHex(_ write: (UInt8) -> Void) {
        func digits(of word: UInt64) {
            for shift in stride(from: 60, through: 0, by: -4) { write(Hex.digits[Int(word >> UInt64(shift) & 0xf)]) }
        }
        digits(of: words.0)
        digits(of: words.1)
        digits(of: words.2)
        digits(of: words.3)
    }

    public var description: String { hex }

    public static func == (left: SHA256Digest, right: SHA256Digest) -> Bool {
        left.words == right.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
