import CZlib
import NIOCore

/// Decodes a gzip-encoded stream as it comes, a buffer at a time, as a browser does.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 1 << 16)

    init() {
        // zlib keeps the stream's address: it must not move while in use.
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 16 + 15: a gzip header, a 32 KiB window.
        inflateInit2_(stream, 16 + 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Decodes `buffer`, handing `decoded` each piece of text; false if the data is not gzip.
    func inflate(_ buffer: ByteBuffer, _ decoded: (UnsafeRawBufferPointer) -> Void) -> Bool {
        buffer.withUnsafeReadableBytes { input in
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                let (result, produced) = output.withUnsafeMutableBytes { output in
                    stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    stream.pointee.avail_out = UInt32(output.count)
                    let result = CZlib.inflate(stream, Z_SYNC_FLUSH)
                    return (result, output.count - Int(stream.pointee.avail_out))
                }
                guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else { return false }
                if produced > 0 {
                    output.withUnsafeBytes { decoded(UnsafeRawBufferPointer(rebasing: $0.prefix(produced))) }
                }
                if result != Z_OK || stream.pointee.avail_in == 0 && produced < output.count { return true }
            }
        }
    }
}
