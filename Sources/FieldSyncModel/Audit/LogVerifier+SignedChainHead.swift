extension LogVerifier {
    /// Checks the signed head an export ends with against the log read so far.
    ///
    /// The same checks as ``verifyHead(_:)`` — type, members, position and chain of the last line, the
    /// server's signature — and it also accepts the `publicKey` member that `GET /v1/chain/head` adds. That
    /// member must be the server key announced in the log; it is covered by the signature like the others,
    /// so the signature is checked here over the head as served.
    public func verify(_ head: SignedChainHead) -> [FieldError] {
        guard let announced = head.object["publicKey"] else { return verifyHead(.object(head.object)) }
        var bare = head.object
        bare["publicKey"] = nil
        // Without its publicKey the head's signature cannot verify: that one check is made below instead.
        var errors = verifyHead(.object(bare)).filter { !($0.field == "signature" && $0.code == .badSignature) }
        guard let server = reference.server else { return errors }
        if announced != .string(server.publicKey.base64URL) {
            errors.append(
                FieldError(
                    field: "publicKey", code: .badSignature,
                    problem: "\(announced) is not the server key announced in the log",
                    allowed: server.publicKey.base64URL))
        }
        if errors.isEmpty && !SignedObject.isValid(head.object, signedBy: server.publicKey) {
            errors.append(
                FieldError(
                    field: "signature", code: .badSignature, problem: "not the server's signature of this head",
                    allowed: "an Ed25519 signature by \(server.publicKey.base64URL)"))
        }
        return errors
    }
}
