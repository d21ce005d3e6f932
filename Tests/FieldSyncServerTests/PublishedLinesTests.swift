import Hummingbird
import NIOCore
import Testing

@testable import FieldSyncServer

/// The published reference lines kept compressed: served as they were appended, plain or as one gzip member,
/// and held in much less memory than their text.
@Suite struct PublishedLinesTests {
    /// A response body's bytes, as a client receives them.
    struct Collected: ResponseBodyWriter {
        var bytes = [UInt8]()

        mutating func write(_ buffer: ByteBuffer) async throws {
            bytes += buffer.readableBytesView
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    /// Lines like the national stations' (about 700 bytes, alike but for their codes and signatures): more than
    /// two segments' worth and some lines after the last, so both the segments and the recent lines are served.
    static func lines() -> [[UInt8]] {
        (0..<4_000).map { number in
            Array(
                (#"{"data":{"code":"NA-\#(number % 266)-\#(number)","name":"Govt. School No. \#(number) (synthetic)"},"#
                    + #""signature":"\#(String(number * 7_919, radix: 36))","type":"fieldsync.station.defined.v1"}"#
                    + String(repeating: " ", count: 500) + "\n").utf8)
        }
    }

    @Test func linesComeBackAsAppendedPlainOrGzipped() async throws {
        var published = PublishedLines()
        let lines = Self.lines()
        for line in lines { published.append(line) }
        let text = lines.flatMap { $0 }
        #expect(text.count > 2 * PublishedLines.segmentBytes)
        #expect(published.byteCount == text.count)

        var plain = Collected()
        try await published.write(to: &plain, gzip: false)
        #expect(plain.bytes == text)

        var gzipped = Collected()
        try await published.write(to: &gzipped, gzip: true)
        #expect(gzipped.bytes.count * 2 < text.count, "\(gzipped.bytes.count) bytes for \(text.count)")
        let decoded = try LiveEncodingTests.gunzip(gzipped.bytes)
        #expect(decoded.ended, "the gzip member has no end")
        #expect(Array(decoded.text.utf8) == text)
    }

    @Test func noLinesAreAnEmptyBody() async throws {
        let published = PublishedLines()
        var plain = Collected()
        try await published.write(to: &plain, gzip: false)
        #expect(plain.bytes.isEmpty)
        var gzipped = Collected()
        try await published.write(to: &gzipped, gzip: true)
        let decoded = try LiveEncodingTests.gunzip(gzipped.bytes)
        #expect(decoded.ended && decoded.text.isEmpty)
    }
}
