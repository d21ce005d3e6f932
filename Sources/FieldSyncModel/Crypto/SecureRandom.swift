import CCrypto

/// Bytes from libcrypto's cryptographically secure generator.
public enum SecureRandom {
    /// `count` random bytes. Stops the program if the generator fails, which only happens when
    /// the system cannot provide entropy at all.
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let status = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(status == 1, "RAND_bytes failed: the system has no source of randomness")
        return out
    }
}
