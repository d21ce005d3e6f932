/// The protocol's one rule for signed objects: the signature is Ed25519 over the 32 bytes of the
/// SHA-256 of the canonical form (RFC 8785) of the object without its `signature` member, and is
/// written in `signature` as base64url without padding.
///
/// Events follow it (a submitted event without `signature` is exactly the hashed object); so do the
/// server's signed chain head, receipts and any other signed object.
public enum SignedObject {
    /// The digest that is signed: SHA-256 of the canonical form of `object` without `signature`.
    public static func signingHash(of object: [String: JSONValue]) -> SHA256Digest {
        var unsigned = object
        unsigned["signature"] = nil
        return SHA256Digest.hash(CanonicalJSON.bytes(.object(unsigned)))
    }

    /// `object` with its `signature` member set (replaced if present) to `key`'s signature.
    public static func signed(_ object: [String: JSONValue], with key: SigningKey) -> [String: JSONValue] {
        var signed = object
        signed["signature"] = .string(Base64URL.encode(key.signature(for: signingHash(of: object))))
        return signed
    }

    /// Whether `object` has a `signature` member that is `key`'s valid signature of the rest.
    public static func isValid(_ object: [String: JSONValue], signedBy key: PublicKey) -> Bool {
        guard case .string(let text)? = object["signature"], let signature = Base64URL.decode(text),
            signature.count == 64
        else { return false }
        return key.isValidSignature(signature, for: signingHash(of: object))
    }
}
