import Hummingbird
import NIOCore

/// The published reference events as export lines, what `GET /v1/reference` serves, kept compressed: a
/// national election's lines weigh about 73 MB, deflated less than a third of that. New lines gather as they
/// are until there are ``segmentBytes`` of them, then become one ``DeflateSegment``, compressed once.
/// A client that takes gzip gets the segments as they are, in one gzip member; any other gets them
/// inflated, one segment at a time.
struct PublishedLines: Sendable {
    /// How many bytes of lines one segment holds, at least.
    static let segmentBytes = 1 << 20

    private var segments: [DeflateSegment] = []
    /// The lines after the last segment, as they are.
    private var recent = ByteBuffer()

    /// The lines' bytes, uncompressed.
    private(set) var byteCount = 0

    /// Adds the next line (with its newline).
    mutating func append(_ line: [UInt8]) {
        recent.writeBytes(line)
        byteCount += line.count
        if recent.readableBytes >= Self.segmentBytes {
            segments.append(.compressed(recent))
            recent = ByteBuffer()
        }
    }

    /// Writes every line to `writer`: gzip-encoded when `gzip` (one gzip member), else as they are.
    func write(to writer: inout some ResponseBodyWriter, gzip: Bool) async throws {
        if gzip {
            var member = GzipMember()
            try await writer.write(GzipMember.header)
            for segment in segments { try await writer.write(member.append(segment)) }
            if recent.readableBytes > 0 { try await writer.write(member.append(.stored(recent))) }
            try await writer.write(member.end())
        } else {
            for segment in segments { try await writer.write(segment.inflated()) }
            if recent.readableBytes > 0 { try await writer.write(recent) }
        }
    }
}
