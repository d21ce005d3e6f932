import CZlib
import NIOCore
import Testing

@testable import FieldSyncServer

/// Live events gzip-encoded: segments compressed once, joined in any order per stream, decode to the
/// events' text, as they come and once the stream ends.
@Suite struct LiveEncodingTests {
    /// Decodes gzip bytes as a browser does while the stream is still open: everything decodable so far.
    static func gunzip(_ bytes: [UInt8]) throws -> (text: String, ended: Bool) {
        // zlib keeps the stream's address: it must not move while in use.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 16 + 15: a gzip header, a 32 KiB window.
        #expect(inflateInit2_(stream, 16 + 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { inflateEnd(stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: 1 << 22)
        let result = input.withUnsafeMutableBytes { input in
            output.withUnsafeMutableBytes { output in
                stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_in = UInt32(input.count)
                stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(output.count)
                return inflate(stream, Z_SYNC_FLUSH)
            }
        }
        #expect(result == Z_OK || result == Z_STREAM_END, "inflate: \(result)")
        let text = String(decoding: output.prefix(Int(stream.pointee.total_out)), as: UTF8.self)
        return (text, result == Z_STREAM_END)
    }

    @Test func segmentsCompressedOnceMakeOneGzipStreamOnEveryStream() throws {
        let seat = String(repeating: #"{"constituency":"NA-248","votes":[1,2,3],"flags":[]}"#, count: 2_000)
        let shared = LiveEvent(ByteBuffer(string: "event: tallies\nid: 7\ndata: \(seat)\n\n"))
        #expect(shared.gzip.bytes.readableBytes * 10 < shared.plain.readableBytes)
        let large = LiveEvent(ByteBuffer(string: String(repeating: "y", count: 200_000)), compress: false)

        // Two streams send the same shared event amid their own events, in another order.
        var first = LiveEncoding(acceptEncoding: "gzip, deflate, br")
        var second = LiveEncoding(acceptEncoding: "gzip")
        let hello = LiveEvent(ByteBuffer(string: "event: hello\nid: 5\n\n"), compress: false)
        var one = Array(first.start!.readableBytesView)
        for event in [hello, shared, .heartbeat, shared] { one += first.encode(event).readableBytesView }
        var two = Array(second.start!.readableBytesView)
        for event in [.heartbeat, shared, large, hello] { two += second.encode(event).readableBytesView }

        let open = try Self.gunzip(one)
        #expect(open.text == [hello, shared, .heartbeat, shared].map { String(buffer: $0.plain) }.joined())
        #expect(!open.ended)
        one += first.end!.readableBytesView
        let ended = try Self.gunzip(one)
        #expect(ended.ended && ended.text == open.text)
        two += second.end!.readableBytesView
        let other = try Self.gunzip(two)
        #expect(other.ended)
        #expect(other.text == [.heartbeat, shared, large, hello].map { String(buffer: $0.plain) }.joined())
    }

    @Test func gzipIsUsedOnlyWhenTheClientTakesIt() {
        for header in ["gzip", "gzip, deflate, br, zstd", "br;q=1.0, GZIP;q=0.5", "*", "identity, *;q=0.1"] {
            #expect(LiveEncoding.acceptsGzip(header), "\(header)")
        }
        for header in [nil, "", "identity", "deflate, br", "gzip;q=0", "gzip; q=0.000", "gzipx"] {
            #expect(!LiveEncoding.acceptsGzip(header), "\(header ?? "none")")
        }
        var plain = LiveEncoding(acceptEncoding: nil)
        #expect(plain.contentEncoding == nil && plain.start == nil && plain.end == nil)
        #expect(plain.encode(.heartbeat) == LiveEvent.heartbeat.plain)
    }
}
