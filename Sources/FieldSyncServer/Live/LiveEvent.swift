import Foundation
import NIOCore

/// One server-sent event as every stream that sends it writes it: its text, and the same as a deflate
/// segment for streams that take gzip (``LiveEncoding``) — compressed once however many streams there are.
struct LiveEvent: Sendable, Equatable {
    let plain: ByteBuffer
    let gzip: DeflateSegment

    /// An event of many streams is compressed; one stream's own small event is only framed (`compress`
    /// false), which costs nothing.
    init(_ plain: ByteBuffer, compress: Bool = true) {
        self.plain = plain
        self.gzip = compress ? .compressed(plain) : .stored(plain)
    }

    /// The memory it holds: its text's and the compressed copy's buffers, whose capacity is a power of two
    /// (up to twice their bytes).
    var bytes: Int { plain.capacity + gzip.bytes.capacity }

    /// The heartbeat comment, every 15 seconds by default.
    static let heartbeat = LiveEvent(ByteBuffer(string: ": heartbeat\n\n"), compress: false)

    static func == (left: LiveEvent, right: LiveEvent) -> Bool { left.plain == right.plain }
}

/// How one live stream's events go out: as they are, or gzip-encoded (`Content-Encoding: gzip`) when
/// the client accepts gzip, as browsers do. Tally events are large and alike (every seat's document,
/// once a second): compressed, they take a tenth of the bytes, for the price of one compression each.
struct LiveEncoding: Sendable {
    private var member: GzipMember?

    init(acceptEncoding: String?) {
        member = Self.acceptsGzip(acceptEncoding) ? GzipMember() : nil
    }

    /// The `Content-Encoding` of the answer, if any.
    var contentEncoding: String? { member == nil ? nil : "gzip" }

    /// What to write before the first event.
    var start: ByteBuffer? { member == nil ? nil : GzipMember.header }

    /// The bytes of `event` on this stream.
    mutating func encode(_ event: LiveEvent) -> ByteBuffer {
        guard var member else { return event.plain }
        defer { self.member = member }
        return member.append(event.gzip)
    }

    /// What to write after the last event when the stream ends properly.
    var end: ByteBuffer? { member?.end() }

    /// Whether an `Accept-Encoding` value takes gzip: `gzip` or `*`, with no `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.lowercased().split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
    }
}
