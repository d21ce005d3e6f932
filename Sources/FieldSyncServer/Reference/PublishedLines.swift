import Hummingbird
import NIOCore

/// The published reference events as export lines, what `GET /v1/reference` serves, kept compressed: a
/// national election's lines weigh about 73 MB, deflated less than a third of that. New lines gather as they
/// are until there are ``segmentBytes`` of them, then become one ``DeflateSegment``, compressed once.
/// A client that takes gzip gets the segments as they are, in one gzip member; any other gets them
/// inflated, one segment at a time.
///
/// A segment is kept in an array of its own size, not in the `ByteBuffer` it was compressed into: a
/// buffer's room is the next power of two, so each of the national lines' segments took half a MiB,
/// whatever its deflate data: 37 MB in all.
struct PublishedLines: Sendable {
    /// How many bytes of lines one segment holds, at least.
    static let segmentBytes = 1 << 20

    private var segments: [KeptSegment] = []
    /// The lines after the last segment, as they are.
    private var recent = ByteBuffer()

    /// The lines' bytes, uncompressed.
    private(set) var byteCount = 0

    /// Adds the next line (with its newline).
    mutating func append(_ line: [UInt8]) {
        recent.writeBytes(line)
        byteCount += line.count
        if recent.readableBytes >= Self.segmentBytes {
            segments.append(KeptSegment(.compressed(recent)))
            recent = ByteBuffer()
        }
    }

    /// Writes every line to `writer`: gzip-encoded when `gzip` (one gzip member), else as they are.
    func write(to writer: inout some ResponseBodyWriter, gzip: Bool) async throws {
        if gzip {
            var member = GzipMember()
            try await writer.write(GzipMember.header)
            for segment in segments { try await writer.write(member.append(segment.deflateSegment)) }
            if recent.readableBytes > 0 { try await writer.write(member.append(.stored(recent))) }
            try await writer.write(member.end())
        } else {
            for segment in segments { try await writer.write(segment.deflateSegment.inflated()) }
            if recent.readableBytes > 0 { try await writer.write(recent) }
        }
    }
}

/// A ``DeflateSegment`` kept in as little memory as its bytes.
private struct KeptSegment: Sendable {
    let bytes: [UInt8]
    let crc: UInt32
    let length: Int

    init(_ segment: DeflateSegment) {
        bytes = Array(segment.bytes.readableBytesView)
        crc = segment.crc
        length = segment.length
    }

    /// The segment again, in a buffer of its own for the time it is written.
    var deflateSegment: DeflateSegment { DeflateSegment(bytes: ByteBuffer(bytes: bytes), crc: crc, length: length) }
}
