import FieldSyncModel

/// A device's credential: 32 random bytes, written as base64url, sent as `Authorization: Bearer <token>`.
///
/// Only its SHA-256 is stored. The first 8 bytes of that hash are the lookup key; the whole hash is
/// then compared in constant time, so the time an answer takes tells nothing about a stored token.
/// A token is a secret: never log it.
struct BearerToken: Sendable {
    let text: String

    /// A new random token. Never one that starts with `-`: people pass tokens on command lines
    /// (`--token T`), where a leading dash reads as an option (about one token in 64 would).
    static func make() -> BearerToken {
        while true {
            let text = Base64URL.encode(SecureRandom.bytes(32))
            if !text.hasPrefix("-") { return BearerToken(text: text) }
        }
    }

    /// The token of an `Authorization` header value, if it is a well-formed bearer token.
    init?(authorization: String) {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingPrefix(" ")
        guard let bytes = Base64URL.decode(token), bytes.count == 32 else { return nil }
        self.text = String(token)
    }

    private init(text: String) {
        self.text = text
    }

    var hash: SHA256Digest { SHA256Digest.hash(text) }

    /// The lookup key stored beside the hash: its first 8 bytes.
    static func lookupKey(of hash: SHA256Digest) -> [UInt8] { Array(hash.bytes.prefix(8)) }
}
