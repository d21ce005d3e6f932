import CCrypto

/// A failure reported by libcrypto, or a key or signature of the wrong shape.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    /// An error naming what failed, with the reason libcrypto gives, if any (its error queue is cleared).
    static func openSSL(_ what: String) -> CryptoError {
        var reasons = [String]()
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CryptoError(reasons.isEmpty ? what : what + ": " + reasons.joined(separator: "; "))
    }

    public var description: String { message }
}
