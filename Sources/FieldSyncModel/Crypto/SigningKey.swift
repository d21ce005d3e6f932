import CCrypto

/// An Ed25519 private key (RFC 8032, pure Ed25519): a device's or the server's signing key.
public struct SigningKey: Sendable {
    let key: EVPKey

    /// The matching public key.
    public let publicKey: PublicKey

    /// A new key from the system's secure random generator.
    public static func generate() -> SigningKey {
        try! SigningKey(rawRepresentation: SecureRandom.bytes(32))
    }

    /// The key whose 32-byte private seed (RFC 8032 §5.1.5) is `rawRepresentation`.
    public init(rawRepresentation seed: [UInt8]) throws(CryptoError) {
        let key = try EVPKey.ed25519(privateSeed: seed)
        self.key = key
        self.publicKey = try PublicKey(rawRepresentation: key.rawPublicKey())
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`), as written by
    /// ``pemRepresentation`` or `openssl genpkey -algorithm ed25519`.
    public init(pemRepresentation pem: String) throws(CryptoError) {
        let loaded = EVPKey.withBIO(reading: pem) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        guard let loaded else { throw CryptoError.openSSL("cannot read the PEM private key") }
        let key = EVPKey(loaded)
        guard key.isEd25519 else { throw CryptoError("the PEM private key is not an Ed25519 key") }
        self.key = key
        self.publicKey = try PublicKey(rawRepresentation: key.rawPublicKey())
    }

    /// The 32-byte private seed. A secret: never log it.
    public var rawRepresentation: [UInt8] { key.rawPrivateKey() }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). A secret: store it with care.
    public var pemRepresentation: String {
        let bio = BIO_new(BIO_s_mem())!
        defer { BIO_free(bio) }
        let status = PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil)
        precondition(status == 1, "writing an Ed25519 key to memory cannot fail")
        return EVPKey.text(of: bio)
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func signature(for message: some Collection<UInt8>) -> [UInt8] {
        let message = Array(message)
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        let context = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(context) }
        let status = message.withUnsafeBufferPointer { buffer in
            guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1 else { return Int32(0) }
            return EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count)
        }
        precondition(status == 1 && length == 64, "Ed25519 signing cannot fail for a valid key")
        return signature
    }

    /// The 64-byte signature of a digest's 32 bytes: how events and other signed objects are signed.
    public func signature(for digest: SHA256Digest) -> [UInt8] {
        signature(for: digest.bytes)
    }
}
