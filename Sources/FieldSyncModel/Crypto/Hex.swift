/// Lowercase hexadecimal, the encoding of hashes throughout the protocol.
public enum Hex {
    /// The 16 lowercase digits, by value.
    static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        write(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the hex digits of `bytes` to a buffer.
    public static func write(_ bytes: some Sequence<UInt8>, into out: inout [UInt8]) {
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
    }

    /// Decodes lowercase hexadecimal; nil for odd lengths, uppercase or any other character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        withUTF8(of: text) { decode(utf8: $0) }
    }

    /// Decodes lowercase hexadecimal given as its UTF-8 bytes (a database column's text, say), without
    /// copying them first; nil for odd lengths, uppercase or any other character.
    public static func decode(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        let length = utf8.count / 2
        // Written in place: every event read back from storage decodes two hashes this way.
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, written in
            while written < length {
                guard let high = value(utf8[2 * written]), let low = value(utf8[2 * written + 1]) else { return }
                buffer[written] = high << 4 | low
                written += 1
            }
        }
        return out.count == length ? out : nil
    }

    /// Whether `text` is lowercase hexadecimal of an even length, as ``decode(_:)`` accepts, without
    /// decoding it.
    public static func isHex(_ text: some StringProtocol) -> Bool {
        withUTF8(of: text) { utf8 in utf8.count % 2 == 0 && utf8.allSatisfy { value($0) != nil } }
    }

    /// Runs `body` on the UTF-8 bytes of `text`, in place when they are contiguous (a `String`'s are):
    /// the loop in `body` then reads memory, not a generic view of the text.
    static func withUTF8<Result>(
        of text: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// The value of one lowercase hex digit; nil for any other character.
    static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
