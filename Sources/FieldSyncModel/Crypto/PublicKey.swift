import CCrypto

/// An Ed25519 public key. Written in the protocol as base64url (no padding) of its 32 raw bytes.
///
/// The libcrypto key is parsed once and kept, so verifying many events of one device does not
/// parse the key again.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes (RFC 8032 §5.1.5).
    public let rawRepresentation: [UInt8]
    let key: EVPKey
    private let verifier: VerifyTemplate

    public init(rawRepresentation raw: [UInt8]) throws(CryptoError) {
        self.key = try EVPKey.ed25519(publicKey: raw)
        self.verifier = try VerifyTemplate(key: key)
        self.rawRepresentation = raw
    }

    /// A key from base64url without padding, as written in events; nil unless it decodes to 32 bytes.
    public init?(base64URL text: some StringProtocol) {
        guard let raw = Base64URL.decode(text), raw.count == 32, let key = try? PublicKey(rawRepresentation: raw)
        else { return nil }
        self = key
    }

    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`).
    public init(pemRepresentation pem: String) throws(CryptoError) {
        let loaded = EVPKey.withBIO(reading: pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        guard let loaded else { throw CryptoError.openSSL("cannot read the PEM public key") }
        let key = EVPKey(loaded)
        guard key.isEd25519 else { throw CryptoError("the PEM public key is not an Ed25519 key") }
        self.key = key
        self.verifier = try VerifyTemplate(key: key)
        self.rawRepresentation = key.rawPublicKey()
    }

    /// Base64url without padding of the 32 raw bytes: the form used in events.
    public var base64URL: String { Base64URL.encode(rawRepresentation) }

    /// The key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    public var pemRepresentation: String {
        let bio = BIO_new(BIO_s_mem())!
        defer { BIO_free(bio) }
        let status = PEM_write_bio_PUBKEY(bio, key.pointer)
        precondition(status == 1, "writing an Ed25519 public key to memory cannot fail")
        return EVPKey.text(of: bio)
    }

    /// The device id of the device holding the matching private key.
    public var deviceID: DeviceID { DeviceID(publicKey: self) }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        let signature = Array(signature)
        guard signature.count == 64 else { return false }
        let message = Array(message)
        return signature.withUnsafeBytes { signature in
            message.withUnsafeBytes { message in verifier.verify(signature: signature, message: message) }
        }
    }

    /// Whether `signature` signs the 32 bytes of `digest`: how events and other signed objects are verified.
    public func isValidSignature(_ signature: some Collection<UInt8>, for digest: SHA256Digest) -> Bool {
        isValidSignature(signature, for: digest.bytes)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawRepresentation)
    }

    public var description: String { base64URL }
}
