/// Which bytes of a photo one `PUT /v1/photos/{sha256}` carries: `Content-Range: bytes START-END/SIZE`
/// (RFC 9110 §14.4, END inclusive), or, without one, the whole photo from byte 0.
struct UploadRange: Sendable, Hashable {
    /// The first byte's offset in the photo.
    var start: Int
    /// How many bytes the request carries.
    var length: Int
    /// The whole photo's size.
    var size: Int

    static let allowed = "bytes START-END/SIZE, END inclusive, 0 ≤ START ≤ END < SIZE"

    /// The range of a request with the `Content-Range` header `header` (nil when absent) and the body
    /// length `contentLength` (nil when not given); nil, with a reason, when they do not fit together.
    static func parse(_ header: String?, contentLength: Int?) -> Result<UploadRange, RangeProblem> {
        guard let header else {
            guard let contentLength, contentLength > 0 else {
                return .failure(RangeProblem("without Content-Range, the whole photo needs a Content-Length"))
            }
            return .success(UploadRange(start: 0, length: contentLength, size: contentLength))
        }
        let text = header.trimmingPrefix(" ")
        guard text.hasPrefix("bytes ") else { return .failure(RangeProblem("\"\(header)\" is not in bytes")) }
        let parts = text.dropFirst("bytes ".count).split(separator: "/", maxSplits: 1)
        let bounds = parts.first?.split(separator: "-", maxSplits: 1) ?? []
        guard parts.count == 2, bounds.count == 2, let start = Int(bounds[0]), let end = Int(bounds[1]),
            let size = Int(parts[1]), start >= 0, start <= end, end < size
        else { return .failure(RangeProblem("\"\(header)\" is not \(allowed)")) }
        let range = UploadRange(start: start, length: end - start + 1, size: size)
        if let contentLength, contentLength != range.length {
            return .failure(
                RangeProblem("Content-Range says \(range.length) bytes, Content-Length \(contentLength)"))
        }
        return .success(range)
    }

    /// Why a range does not read.
    struct RangeProblem: Error, Sendable, Hashable {
        var problem: String
        init(_ problem: String) { self.problem = problem }
    }
}
