import CCrypto

/// A SHA-256 digest: 32 bytes, written as 64 lowercase hexadecimal digits.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the digest.
    public let bytes: [UInt8]

    /// The digest of nothing at all is never used as a link; chains start from ``zero``.
    public static let zero = SHA256Digest(uncheckedBytes: [UInt8](repeating: 0, count: 32))

    init(uncheckedBytes bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A digest from its 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A digest from 64 lowercase hexadecimal digits; nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: some Collection<UInt8>) -> SHA256Digest {
        var output = [UInt8](repeating: 0, count: 32)
        let done: Void? = data.withContiguousStorageIfAvailable { buffer in
            _ = CCrypto.SHA256(buffer.baseAddress, buffer.count, &output)
        }
        if done == nil {
            let copy = Array(data)
            copy.withUnsafeBufferPointer { buffer in
                _ = CCrypto.SHA256(buffer.baseAddress, buffer.count, &output)
            }
        }
        return SHA256Digest(uncheckedBytes: output)
    }

    /// The SHA-256 digest of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> SHA256Digest {
        var text = text
        return text.withUTF8 { hash($0) }
    }

    /// 64 lowercase hexadecimal digits.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }
}
