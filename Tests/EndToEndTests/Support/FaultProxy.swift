import Foundation
import Synchronization

/// A TCP proxy in front of the server that misbehaves on purpose, as a bad mobile network does: each
/// connection it accepts takes the next armed ``Fault`` (delay every chunk, reset at once, cut after so
/// many bytes either way, damage a byte, or run an action once so many bytes have gone up, such as
/// killing the server mid-batch; each of those going up may wait for a request of one kind, such as a
/// photo's upload). Connections with no fault armed pass everything through.
///
/// Plain sockets and one thread per connection: simple enough to trust, and no part of the code under
/// test.
final class FaultProxy: Sendable {
    /// What to do to one connection.
    enum Fault: Sendable, CustomStringConvertible {
        /// Hold every chunk, both ways, this long before passing it on.
        case delay(milliseconds: Int)
        /// An abortive close (RST) as soon as the connection is accepted.
        case reset
        /// Close both ways (RST) after forwarding this many bytes from the client to the server.
        case cutUpstream(afterBytes: Int)
        /// Close both ways (RST) after forwarding this many bytes from the server to the client.
        case cutDownstream(afterBytes: Int)
        /// Once this many bytes have gone from the client to the server, run `action` (on the proxy's
        /// thread), then go on forwarding.
        case trigger(afterUpstreamBytes: Int, action: @Sendable () -> Void)
        /// Replace every `from` in what the server sends with `to`, of the same length, as a man in the
        /// middle rewriting answers would.
        case substituteDownstream(from: [UInt8], to: [UInt8])
        /// Invert the byte at this offset (from 0) of what the client sends, and go on forwarding: a byte
        /// damaged on the way that only the receiver's check of a hash can catch.
        case corruptUpstream(atByte: Int)
        /// Pass everything through until `marker` has gone from the client to the server, then apply
        /// `fault` (a cut, a trigger or damage up) to what follows, counting bytes from the marker's end:
        /// a fault aimed at one kind of request, such as a photo's upload (``photoUpload``), on a
        /// connection that carries others before it.
        indirect case afterUpstream(marker: [UInt8], Fault)

        /// What starts the upload of a photo's bytes: the request line of `PUT /v1/photos/{sha256}`.
        static let photoUpload = Array("PUT /v1/photos/".utf8)

        var description: String {
            switch self {
            case .delay(let milliseconds): "delay \(milliseconds) ms"
            case .reset: "reset"
            case .cutUpstream(let bytes): "cut after \(bytes) bytes up"
            case .cutDownstream(let bytes): "cut after \(bytes) bytes down"
            case .trigger(let bytes, _): "trigger after \(bytes) bytes up"
            case .substituteDownstream: "substitute bytes down"
            case .corruptUpstream(let byte): "damage byte \(byte) up"
            case .afterUpstream(let marker, let fault):
                "after \"\(String(decoding: marker, as: UTF8.self))\" went up: \(fault)"
            }
        }
    }

    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let state: Mutex<State>

    private struct State {
        var armed: [Fault] = []
        var accepted = 0
        var injected = 0
        var stopped = false
    }

    /// A proxy on a free port of 127.0.0.1 forwarding to `upstreamPort`, with `faults` armed for the
    /// first connections.
    init(upstreamPort: Int, faults: [Fault] = []) throws {
        self.upstreamPort = upstreamPort
        self.state = Mutex(State(armed: faults))
        let (listener, port) = try Socket.listen()
        self.listener = listener
        self.port = port
        let proxy = self
        Thread.detachNewThread { proxy.acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Arms `faults` for the next connections, one each, after those armed already.
    func arm(_ faults: [Fault]) {
        state.withLock { $0.armed += faults }
    }

    /// Drops the faults no connection has taken yet; returns how many there were.
    @discardableResult
    func disarm() -> Int {
        state.withLock { state in
            defer { state.armed = [] }
            return state.armed.count
        }
    }

    /// How many faults took effect: a cut or reset made, a delay applied to at least one chunk, a
    /// trigger run.
    var injected: Int { state.withLock { $0.injected } }
    var accepted: Int { state.withLock { $0.accepted } }

    func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let fault: Fault? = state.withLock { state in
                state.accepted += 1
                return state.armed.isEmpty ? nil : state.armed.removeFirst()
            }
            if case .reset = fault {
                countInjected()
                abort(client)
                close(client)
                continue
            }
            guard let server = try? Socket.connect(port: upstreamPort) else {
                close(client)
                continue
            }
            let proxy = self
            Thread.detachNewThread { proxy.pump(client: client, server: server, fault: fault) }
        }
    }

    /// Forwards both ways until either side closes, applying `fault`.
    private func pump(client: Int32, server: Int32, fault: Fault?) {
        defer {
            close(client)
            close(server)
        }
        var fault = fault
        // Bytes up pass untouched until the gate's marker has gone up; the last bytes seen are kept while
        // they may be the start of a marker split across reads.
        var gate: (marker: [UInt8], seen: [UInt8])?
        if case .afterUpstream(let marker, let aimed) = fault {
            precondition(!marker.isEmpty, "a marker has bytes")
            gate = (marker, [])
            fault = aimed
        }
        var upstreamLimit: Int?
        var downstreamLimit: Int?
        var delay: UInt32 = 0
        var trigger: (bytes: Int, action: @Sendable () -> Void)?
        var damage: Int?
        var substitution: (from: [UInt8], to: [UInt8])?
        // Downstream bytes held back while they may be the start of a `from` split across reads.
        var held = [UInt8]()
        switch fault {
        case .delay(let milliseconds): delay = UInt32(milliseconds) * 1_000
        case .cutUpstream(let bytes): upstreamLimit = bytes
        case .cutDownstream(let bytes): downstreamLimit = bytes
        case .trigger(let bytes, let action): trigger = (bytes, action)
        case .corruptUpstream(let byte): damage = byte
        case .substituteDownstream(let from, let to):
            precondition(from.count == to.count && !from.isEmpty, "a substitution keeps the length")
            substitution = (from, to)
        case .afterUpstream: preconditionFailure("a fault after a marker aims one fault, not another marker")
        case .reset, nil: break
        }
        // Bytes up since the gate opened (since the connection began, without a gate).
        var upstream = 0
        var downstream = 0
        var delayed = false
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        var fds = [
            pollfd(fd: client, events: Int16(POLLIN), revents: 0),
            pollfd(fd: server, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if state.withLock({ $0.stopped }) { return }
            let ready = poll(&fds, 2, 200)
            if ready < 0 && errno != EINTR { return }
            if ready == 0, !held.isEmpty {
                guard Socket.writeAll(client, held, count: held.count) else { return }
                held.removeAll()
            }
            if ready <= 0 { continue }
            for index in 0..<2 where fds[index].revents != 0 {
                let (from, to) = index == 0 ? (client, server) : (server, client)
                var limit = buffer.count
                if index == 1, let cut = downstreamLimit { limit = min(limit, cut - downstream) }
                let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, limit) }
                if count <= 0 {
                    if !held.isEmpty { _ = Socket.writeAll(client, held, count: held.count) }
                    return
                }
                if index == 1, let substitution {
                    var bytes = held + buffer[0..<count]
                    var start = 0
                    while let found = Self.find(substitution.from, in: bytes, from: start) {
                        bytes.replaceSubrange(found..<found + substitution.to.count, with: substitution.to)
                        start = found + substitution.to.count
                        countInjected()
                    }
                    let kept = min(bytes.count, substitution.from.count - 1)
                    held = Array(bytes.suffix(kept))
                    guard Socket.writeAll(to, Array(bytes.dropLast(kept)), count: bytes.count - kept) else { return }
                    downstream += count
                    continue
                }
                if delay > 0 {
                    if !delayed { countInjected() }
                    delayed = true
                    usleep(delay)
                }
                if index == 1 {
                    guard Socket.writeAll(to, buffer, count: count) else { return }
                    downstream += count
                    if let cut = downstreamLimit, downstream >= cut {
                        countInjected()
                        abort(client)
                        abort(server)
                        return
                    }
                    continue
                }
                var chunk = buffer[0..<count]
                if let waiting = gate {
                    let window = waiting.seen + chunk
                    guard let found = Self.find(waiting.marker, in: window, from: 0) else {
                        gate?.seen = Array(window.suffix(waiting.marker.count - 1))
                        guard Socket.writeAll(to, Array(chunk), count: chunk.count) else { return }
                        continue
                    }
                    let opened = chunk.startIndex + found + waiting.marker.count - waiting.seen.count
                    guard Socket.writeAll(to, Array(chunk[..<opened]), count: opened - chunk.startIndex) else { return }
                    chunk = chunk[opened...]
                    gate = nil
                }
                // What is left goes up in pieces that end where a cut, a trigger or the damage falls.
                while !chunk.isEmpty {
                    var take = chunk.count
                    if let cut = upstreamLimit { take = min(take, cut - upstream) }
                    if let pending = trigger { take = min(take, pending.bytes - upstream) }
                    var piece = Array(chunk.prefix(max(1, take)))
                    chunk = chunk.dropFirst(piece.count)
                    if let byte = damage, byte >= upstream, byte < upstream + piece.count {
                        piece[byte - upstream] ^= 0xFF
                        damage = nil
                        countInjected()
                    }
                    guard Socket.writeAll(to, piece, count: piece.count) else { return }
                    upstream += piece.count
                    if let cut = upstreamLimit, upstream >= cut {
                        countInjected()
                        abort(client)
                        abort(server)
                        return
                    }
                    if let pending = trigger, upstream >= pending.bytes {
                        trigger = nil
                        countInjected()
                        pending.action()
                    }
                }
            }
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return (start...(haystack.count - needle.count)).first {
            haystack[$0..<$0 + needle.count].elementsEqual(needle)
        }
    }

    private func countInjected() {
        state.withLock { $0.injected += 1 }
    }

    /// Makes the coming close abortive (RST), as a dropped mobile connection looks to each end.
    private func abort(_ descriptor: Int32) {
        var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
    }
}

/// The few socket calls the proxy and the tests need.
enum Socket {
    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A listening socket on a free port of 127.0.0.1.
    static func listen() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw E2EError("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound, Glibc.listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw E2EError("cannot listen on 127.0.0.1")
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func connect(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw E2EError("socket: \(errno)") }
        var address = address(port: port)
        let connected = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(descriptor)
            throw E2EError("cannot connect to port \(port)")
        }
        return descriptor
    }

    static func writeAll(_ descriptor: Int32, _ buffer: [UInt8], count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on now.
enum FreeTCPPort {
    static func find() throws -> Int {
        let (descriptor, port) = try Socket.listen()
        close(descriptor)
        return port
    }
}
