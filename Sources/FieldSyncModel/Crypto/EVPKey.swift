import CCrypto

/// Owns one libcrypto `EVP_PKEY`. Keys are immutable once made, and libcrypto allows one key to
/// be used by several threads at once for signing and verifying, so the box is `@unchecked Sendable`.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    static func ed25519(privateSeed seed: [UInt8]) throws(CryptoError) -> EVPKey {
        guard seed.count == 32 else { throw CryptoError("an Ed25519 private key has 32 bytes, not \(seed.count)") }
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, 32) else {
            throw CryptoError.openSSL("cannot load the Ed25519 private key")
        }
        return EVPKey(key)
    }

    static func ed25519(publicKey raw: [UInt8]) throws(CryptoError) -> EVPKey {
        guard raw.count == 32 else { throw CryptoError("an Ed25519 public key has 32 bytes, not \(raw.count)") }
        guard let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, 32) else {
            throw CryptoError.openSSL("cannot load the Ed25519 public key")
        }
        return EVPKey(key)
    }

    var isEd25519: Bool { EVP_PKEY_get_id(pointer) == EVP_PKEY_ED25519 }

    func rawPublicKey() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        let status = EVP_PKEY_get_raw_public_key(pointer, &out, &length)
        precondition(status == 1 && length == 32, "an Ed25519 key always has a 32-byte public key")
        return out
    }

    func rawPrivateKey() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        let status = EVP_PKEY_get_raw_private_key(pointer, &out, &length)
        precondition(status == 1 && length == 32, "an Ed25519 private key always has 32 bytes")
        return out
    }

    /// Reads the whole of a memory BIO as text.
    static func text(of bio: OpaquePointer) -> String {
        var pointer: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
        guard let pointer, length > 0 else { return "" }
        return UnsafeRawBufferPointer(start: pointer, count: length).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Calls `body` with a read-only memory BIO over the UTF-8 bytes of `text`.
    static func withBIO<T>(reading text: String, _ body: (OpaquePointer) -> T) -> T {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))!
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
