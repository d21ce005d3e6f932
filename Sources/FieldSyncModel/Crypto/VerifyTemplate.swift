import CCrypto

/// A verification context set up once for one public key. Each verification copies it rather
/// than setting up a new one, which saves libcrypto's algorithm look-up on every call (about 5%
/// of a verification). The template itself is never used to verify, only read when copied, so
/// several threads may copy it at once: hence `@unchecked Sendable`.
final class VerifyTemplate: @unchecked Sendable {
    private let context: OpaquePointer
    /// The key the context verifies with, kept alive as long as the context.
    private let key: EVPKey

    init(key: EVPKey) throws(CryptoError) {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("cannot allocate a context") }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.openSSL("cannot set up Ed25519 verification")
        }
        self.context = context
        self.key = key
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Whether `signature` (64 bytes) is valid for `message`.
    func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        guard let copy = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(copy) }
        guard EVP_MD_CTX_copy_ex(copy, context) == 1 else {
            ERR_clear_error()
            return false
        }
        let status = EVP_DigestVerify(
            copy, signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        if status != 1 { ERR_clear_error() }
        return status == 1
    }
}
