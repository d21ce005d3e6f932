import Glibc
import NIOCore
import NIOHTTP1
import Synchronization

/// What one live stream of the benchmark received: when each event id (a log position) arrived, and how
/// many bytes came.
final class LiveStreamLog: Sendable {
    struct Arrival: Sendable {
        var position: Int64
        var at: ContinuousClock.Instant
    }

    private struct State {
        var status: UInt = 0
        var hello = false
        var arrivals: [Arrival] = []
        var bytes = 0
        var ended = false
    }

    private let state = Mutex(State())

    var status: UInt { state.withLock { $0.status } }
    var hello: Bool { state.withLock { $0.hello } }
    var ended: Bool { state.withLock { $0.ended } }
    var bytes: Int { state.withLock { $0.bytes } }
    var arrivals: [Arrival] { state.withLock { $0.arrivals } }

    /// The last position it was told of.
    var position: Int64 { state.withLock { $0.arrivals.last?.position ?? 0 } }

    fileprivate func answered(_ status: UInt) { state.withLock { $0.status = status } }
    fileprivate func saidHello() { state.withLock { $0.hello = true } }
    fileprivate func read(_ count: Int) { state.withLock { $0.bytes += count } }
    fileprivate func ended(_ ended: Bool) { state.withLock { $0.ended = ended } }
    fileprivate func arrived(_ position: Int64, at instant: ContinuousClock.Instant) {
        state.withLock { $0.arrivals.append(Arrival(position: position, at: instant)) }
    }
}

/// Reads one live stream, gzip-encoded as a browser asks for it. A *watching* stream decodes it as it
/// comes, noting each `id:` line with the time it arrived (lines longer than a few dozen bytes, the data,
/// are skipped, not kept); the others only count the bytes.
final class LiveStreamClient: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private let log: LiveStreamLog
    private let token: String
    private let inflater: GzipInflater?
    private var line: [UInt8] = []
    private var skipping = false

    init(log: LiveStreamLog, token: String, watching: Bool) {
        self.log = log
        self.token = token
        self.inflater = watching ? GzipInflater() : nil
        line.reserveCapacity(40)
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "127.0.0.1")
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Accept", value: "text/event-stream")
        headers.add(name: "Accept-Encoding", value: "gzip")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/live", headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            log.answered(head.status.code)
        case .body(let buffer):
            log.read(buffer.readableBytes)
            let now = ContinuousClock.now
            guard let inflater else {
                // The hello comes first: the first bytes are it.
                log.saidHello()
                return
            }
            if !inflater.inflate(buffer, { scan($0, at: now) }) { log.ended(true) }
        case .end: log.ended(true)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        log.ended(true)
        context.fireChannelInactive()
    }

    private func scan(_ bytes: UnsafeRawBufferPointer, at now: ContinuousClock.Instant) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            // The rest of the current line, up to its line feed if it has one here.
            var end = bytes.count
            if let found = memchr(base + start, 0x0a, bytes.count - start) {
                end = base.distance(to: UnsafeRawPointer(found))
            }
            if !skipping {
                line.append(contentsOf: bytes[start..<min(end, start + 33)])
                if line.count > 32 { skipping = true }
            }
            guard end < bytes.count else { return }
            if !skipping { finishLine(at: now) }
            skipping = false
            line.removeAll(keepingCapacity: true)
            start = end + 1
        }
    }

    private static let idPrefix = Array("id: ".utf8)
    private static let hello = Array("event: hello".utf8)

    private func finishLine(at instant: ContinuousClock.Instant) {
        if line.starts(with: Self.idPrefix), let position = Int64(String(decoding: line.dropFirst(4), as: UTF8.self)) {
            log.arrived(position, at: instant)
        } else if line == Self.hello {
            log.saidHello()
        }
    }
}
