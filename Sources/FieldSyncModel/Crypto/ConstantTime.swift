import CCrypto

/// Comparison of secrets in time that does not depend on where they differ.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Only the lengths are compared in variable time.
    public static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let a = Array(a)
        let b = Array(b)
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, pa.count) == 0 }
        }
    }
}
