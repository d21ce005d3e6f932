import NIOCore
import NIOHTTPTypes

/// The server's header, body and idle timeouts (``HTTPTimeouts``): closes a connection when the
/// ``ConnectionPhase`` it is in has lasted longer than that phase's timeout.
///
/// One per connection, in the channel pipeline after the HTTP decoder (it sees whole request heads,
/// body parts and ends, and the answers' ends), on the connection's event loop. Hummingbird's own idle
/// timeout restarts with every part read, so a client that trickles its body in never reaches it, and
/// a head that never ends is never a part at all.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeouts: HTTPTimeouts
    private let onTimeout: @Sendable (ConnectionPhase.Timeout) -> Void
    private var phase = ConnectionPhase()
    private var armed: (timeout: ConnectionPhase.Timeout, task: Scheduled<Void>)?

    /// `onTimeout` is told of each connection closed, for the metrics.
    init(timeouts: HTTPTimeouts, onTimeout: @escaping @Sendable (ConnectionPhase.Timeout) -> Void) {
        self.timeouts = timeouts
        self.onTimeout = onTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { update(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        update(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: phase.readHead()
        case .body: break
        case .end: phase.readEnd()
        }
        update(context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            phase.wroteEnd()
            update(context)
        }
        context.write(data, promise: promise)
    }

    /// Arms the timer of the phase the connection is now in, unless it is armed already: a phase's
    /// timeout runs from when the phase began.
    private func update(_ context: ChannelHandlerContext) {
        let timeout = phase.timeout
        guard armed?.timeout != timeout else { return }
        disarm()
        guard let timeout, context.channel.isActive else { return }
        let task = context.eventLoop.assumeIsolated().scheduleTask(in: timeouts.amount(timeout)) { [onTimeout] in
            onTimeout(timeout)
            context.close(promise: nil)
        }
        armed = (timeout, task)
    }

    private func disarm() {
        armed?.task.cancel()
        armed = nil
    }
}

/// How long a connection may take over each phase (see ``ConnectionPhase``).
public struct HTTPTimeouts: Sendable, Equatable {
    /// From a connection's opening to its first request's head, read whole.
    public var header: Duration
    /// From a request's head to the end of its body.
    public var body: Duration
    /// From the end of the last answer to the next request's head, read whole. Longer than the 60 s for
    /// which HTTP clients commonly keep an idle connection (AsyncHTTPClient, browsers), so that they, not
    /// the server, close it: a request sent just as the server closed would fail.
    public var idle: Duration

    public init(header: Duration = .seconds(10), body: Duration = .seconds(60), idle: Duration = .seconds(75)) {
        self.header = header
        self.body = body
        self.idle = idle
    }

    func amount(_ timeout: ConnectionPhase.Timeout) -> TimeAmount {
        let duration =
            switch timeout {
            case .header: header
            case .body: body
            case .idle: idle
            }
        return .nanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
