import FieldSyncModel

/// Photos for tests: bytes that read as a JPEG by their first bytes (`FF D8 FF E0`), then noise.
public enum TestPhoto {
    /// `size` bytes in all, the same for the same `seed`, different for another.
    public static func jpeg(size: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        bytes.reserveCapacity(size)
        while bytes.count < size { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
        return bytes
    }
}
