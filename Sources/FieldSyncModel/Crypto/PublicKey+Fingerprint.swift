extension PublicKey {
    /// The key's fingerprint: SHA-256 of its 32 raw bytes (PROTOCOL.md §4). `fieldsync admin enroll`
    /// prints the server key's, and enrollment codes are bound to it.
    public var fingerprint: SHA256Digest { SHA256Digest.hash(rawRepresentation) }

    /// The fingerprint as people compare it: 64 hex digits in sixteen groups of four, such as
    /// `9f86 d081 884c 7d65 …`.
    public var fingerprintText: String {
        let hex = Array(fingerprint.hex)
        return stride(from: 0, to: hex.count, by: 4).map { String(hex[$0..<$0 + 4]) }.joined(separator: " ")
    }
}
