import FieldSyncModel

extension UsageProblem {
    /// The public key a `--server-key` option gives, or the usage problem that says what is allowed.
    static func serverKey(_ text: String) throws -> PublicKey {
        guard let key = PublicKey(base64URL: text) else {
            throw UsageProblem(
                "--server-key '\(text)' is not a public key (allowed: base64url without padding of a 32-byte "
                    + "Ed25519 key, 43 characters)")
        }
        return key
    }
}
