/// The part of a stored photo a reader asks for with `Range: bytes=FIRST-[LAST]` (RFC 9110 §14.2): one
/// range from FIRST, to LAST inclusive or to the end. Anything else — several ranges, a suffix range
/// (`bytes=-N`), a FIRST at or beyond the photo's end, text that does not read — is no range: the whole
/// photo is served, as RFC 9110 lets a server ignore a Range it does not take.
struct ReadRange: Sendable, Hashable {
    /// The first byte served.
    var first: Int
    /// The last byte served (inclusive).
    var last: Int

    /// The range `header` asks for of a photo of `size` bytes; nil for the whole photo.
    init?(_ header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func digits(_ text: Substring) -> Bool {
            text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard parts.count == 2, !parts[0].isEmpty, digits(parts[0]), digits(parts[1]), let first = Int(parts[0]),
            first < size
        else { return nil }
        let last = parts[1].isEmpty ? size - 1 : min(Int(parts[1]) ?? size - 1, size - 1)
        guard last >= first else { return nil }
        self.first = first
        self.last = last
    }

    /// `bytes FIRST-LAST/SIZE`, for `Content-Range`.
    func contentRange(size: Int) -> String { "bytes \(first)-\(last)/\(size)" }
}
