import CZlib
import NIOCore

/// A piece of a gzip member's deflate data that stands on its own: it starts and ends on a byte
/// boundary, refers to nothing before it, and closes no stream. Segments joined one after the other, after
/// a gzip header, are one valid gzip stream whatever their order — so one live event, compressed once,
/// goes to every stream as the same bytes. Its CRC-32 and length let each stream keep its trailer.
struct DeflateSegment: Sendable {
    /// The deflate blocks.
    let bytes: ByteBuffer
    /// CRC-32 of the uncompressed bytes.
    let crc: UInt32
    /// How many uncompressed bytes.
    let length: Int

    /// `plain` compressed, by a deflater of its own ended with a sync flush (an empty stored block).
    static func compressed(_ plain: ByteBuffer) -> DeflateSegment {
        // zlib keeps the stream's address: it must not move while in use.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // A raw deflate stream (negative window bits: no zlib header), 32 KiB window, default level.
        guard
            deflateInit2_(
                stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else { return stored(plain) }
        defer { deflateEnd(stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(plain.readableBytes))) + 16)
        let flushed = plain.withUnsafeReadableBytes { input in
            out.withUnsafeMutableBytes { output in
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
                stream.pointee.avail_in = UInt32(input.count)
                stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(output.count)
                return deflate(stream, Z_SYNC_FLUSH) == Z_OK && stream.pointee.avail_in == 0
                    && stream.pointee.avail_out > 0
            }
        }
        guard flushed else { return stored(plain) }
        return DeflateSegment(
            bytes: ByteBuffer(bytes: out.prefix(Int(stream.pointee.total_out))), crc: Self.crc(of: plain),
            length: plain.readableBytes)
    }

    /// `plain` as it is, in stored blocks: for a stream's own small events, which are not worth a deflater.
    static func stored(_ plain: ByteBuffer) -> DeflateSegment {
        var out = ByteBuffer()
        out.reserveCapacity(plain.readableBytes + 5 * (plain.readableBytes / 65_535 + 1))
        var rest = plain
        repeat {
            let piece = rest.readSlice(length: min(rest.readableBytes, 65_535))!
            let length = UInt16(piece.readableBytes)
            // BFINAL 0, BTYPE 00 (stored), padded to the byte; LEN and its one's complement, little-endian.
            out.writeInteger(UInt8(0))
            out.writeInteger(length, endianness: .little)
            out.writeInteger(~length, endianness: .little)
            out.writeImmutableBuffer(piece)
        } while rest.readableBytes > 0
        return DeflateSegment(bytes: out, crc: Self.crc(of: plain), length: plain.readableBytes)
    }

    /// The bytes compressed, as they were: a segment is one run of raw deflate blocks of known length.
    func inflated() -> ByteBuffer {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard inflateInit2_(stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            preconditionFailure("zlib cannot start an inflater")
        }
        defer { inflateEnd(stream) }
        var out = ByteBuffer()
        let written = bytes.withUnsafeReadableBytes { input in
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { output in
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
                stream.pointee.avail_in = UInt32(input.count)
                stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(length)
                _ = inflate(stream, Z_SYNC_FLUSH)
                return length - Int(stream.pointee.avail_out)
            }
        }
        // A segment is made here, never received: one that does not inflate to its length is a bug.
        precondition(written == length, "a deflate segment inflated to \(written) bytes, not \(length)")
        return out
    }

    static func crc(of bytes: ByteBuffer) -> UInt32 {
        bytes.withUnsafeReadableBytes { buffer in
            UInt32(crc32(0, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(buffer.count)))
        }
    }
}

/// One gzip member written as it goes: the header, then segments in any number, then, if the stream
/// ends properly, a last empty block and the trailer (the CRC-32 and length of everything).
struct GzipMember: Sendable {
    private var crc: UInt32 = 0
    private var length = 0

    /// The gzip header: deflate, no name, no time, unknown system.
    static let header = ByteBuffer(bytes: [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff])

    /// The bytes of `segment`, counted into the trailer.
    mutating func append(_ segment: DeflateSegment) -> ByteBuffer {
        crc = UInt32(crc32_combine(UInt(crc), UInt(segment.crc), Int(segment.length)))
        length += segment.length
        return segment.bytes
    }

    /// The end: a final empty stored block and the trailer.
    func end() -> ByteBuffer {
        var out = ByteBuffer(bytes: [0x01, 0x00, 0x00, 0xff, 0xff])
        out.writeInteger(crc, endianness: .little)
        out.writeInteger(UInt32(truncatingIfNeeded: length), endianness: .little)
        return out
    }
}
