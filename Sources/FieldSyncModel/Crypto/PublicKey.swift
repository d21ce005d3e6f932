import CCrypto

/// An Ed25519 public key. Written in the protocol as base64url (no padding) of its 32 raw bytes.
///
/// A key is its 32 bytes, held inline and nothing more: the reference data holds one for every enrolled
/// device (about 181,000 on a national day) in each of its copies. libcrypto's key and verification
/// context are made when a key first verifies and kept for the keys that verified lately
/// (``VerifierCache``), so verifying many events of one device does not parse its key again.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes, in four words as they lie in memory.
    private let words: Words

    /// Four 64-bit words: 32 bytes inline, aligned as any integer is. (Held as a SIMD vector, aligned to 16
    /// bytes, the release build crashed reading a reporter's log: plain words it is.)
    private struct Words: Hashable, Sendable {
        var first: UInt64 = 0
        var second: UInt64 = 0
        var third: UInt64 = 0
        var fourth: UInt64 = 0
    }

    public init(rawRepresentation raw: [UInt8]) throws(CryptoError) {
        guard raw.count == 32 else { throw CryptoError("an Ed25519 public key has 32 bytes, not \(raw.count)") }
        var words = Words()
        withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: raw) }
        self.words = words
    }

    /// A key from base64url without padding, as written in events; nil unless it decodes to 32 bytes.
    public init?(base64URL text: some StringProtocol) {
        guard let raw = Base64URL.decode(text), let key = try? PublicKey(rawRepresentation: raw) else { return nil }
        self = key
    }

    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`).
    public init(pemRepresentation pem: String) throws(CryptoError) {
        let loaded = EVPKey.withBIO(reading: pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        guard let loaded else { throw CryptoError.openSSL("cannot read the PEM public key") }
        let key = EVPKey(loaded)
        guard key.isEd25519 else { throw CryptoError("the PEM public key is not an Ed25519 key") }
        try self.init(rawRepresentation: key.rawPublicKey())
    }

    /// The 32 raw bytes (RFC 8032 §5.1.5).
    public var rawRepresentation: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

    /// Base64url without padding of the 32 raw bytes: the form used in events.
    public var base64URL: String { Base64URL.encode(rawRepresentation) }

    /// The key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    public var pemRepresentation: String {
        let key = libcryptoKey()
        let bio = BIO_new(BIO_s_mem())!
        defer { BIO_free(bio) }
        let status = PEM_write_bio_PUBKEY(bio, key.pointer)
        precondition(status == 1, "writing an Ed25519 public key to memory cannot fail")
        return EVPKey.text(of: bio)
    }

    /// libcrypto's form of the key, made anew.
    func libcryptoKey() -> EVPKey {
        do {
            return try EVPKey.ed25519(publicKey: rawRepresentation)
        } catch {
            preconditionFailure("32 bytes always make an Ed25519 public key: \(error)")
        }
    }

    /// The device id of the device holding the matching private key.
    public var deviceID: DeviceID { DeviceID(publicKey: self) }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        isValidSignature(signature, for: message, verifiers: .shared)
    }

    /// Whether `signature` is valid for `message`, with this key's verification context from `verifiers`.
    func isValidSignature(
        _ signature: some Collection<UInt8>, for message: some Collection<UInt8>, verifiers: VerifierCache
    ) -> Bool {
        let signature = Array(signature)
        guard signature.count == 64, let verifier = verifiers.verifier(for: self) else { return false }
        let message = Array(message)
        return signature.withUnsafeBytes { signature in
            message.withUnsafeBytes { message in verifier.verify(signature: signature, message: message) }
        }
    }

    /// Whether `signature` signs the 32 bytes of `digest`: how events and other signed objects are verified.
    public func isValidSignature(_ signature: some Collection<UInt8>, for digest: SHA256Digest) -> Bool {
        isValidSignature(signature, for: digest.bytes)
    }

    public var description: String { base64URL }
}
