import Foundation
import Synchronization

/// A TCP proxy in front of the server that cuts connections short: the n-th connection it accepts is
/// closed (both ways, at once) after a given number of bytes from the client, or from the server.
/// Connections after the planned cuts pass everything through.
///
/// Plain sockets and one thread per connection: simple enough to trust, and no part of the code under
/// test.
final class CuttingProxy: Sendable {
    /// Where to cut one connection.
    struct Cut: Sendable {
        /// Close after forwarding this many bytes from the client to the server.
        var afterUpstreamBytes: Int?
        /// Close after forwarding this many bytes from the server to the client.
        var afterDownstreamBytes: Int?
    }

    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let state: Mutex<State>

    private struct State {
        var plan: [Cut]
        var accepted = 0
        var cutsMade = 0
        var stopped = false
    }

    init(upstreamPort: Int, cuts: [Cut]) throws {
        self.upstreamPort = upstreamPort
        self.state = Mutex(State(plan: cuts))
        let (listener, port) = try Socket.listen()
        self.listener = listener
        self.port = port
        let proxy = self
        Thread.detachNewThread { proxy.acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// How many connections were cut so far.
    var cutsMade: Int { state.withLock { $0.cutsMade } }
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
            let cut: Cut? = state.withLock { state in
                defer { state.accepted += 1 }
                return state.accepted < state.plan.count ? state.plan[state.accepted] : nil
            }
            guard let server = try? Socket.connect(port: upstreamPort) else {
                close(client)
                continue
            }
            let proxy = self
            Thread.detachNewThread { proxy.pump(client: client, server: server, cut: cut) }
        }
    }

    /// Forwards both ways until either side closes or a limit is reached.
    private func pump(client: Int32, server: Int32, cut: Cut?) {
        defer {
            close(client)
            close(server)
        }
        var upstream = 0
        var downstream = 0
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        var fds = [
            pollfd(fd: client, events: Int16(POLLIN), revents: 0),
            pollfd(fd: server, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if state.withLock({ $0.stopped }) { return }
            let ready = poll(&fds, 2, 200)
            if ready < 0 && errno != EINTR { return }
            if ready <= 0 { continue }
            for index in 0..<2 where fds[index].revents != 0 {
                let from = fds[index].fd
                let to = index == 0 ? server : client
                var limit = buffer.count
                if index == 0, let after = cut?.afterUpstreamBytes { limit = min(limit, after - upstream) }
                if index == 1, let after = cut?.afterDownstreamBytes { limit = min(limit, after - downstream) }
                if limit <= 0 {
                    cutNow(client, server)
                    return
                }
                let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, limit) }
                if count <= 0 { return }
                guard Socket.writeAll(to, buffer, count: count) else { return }
                if index == 0 { upstream += count } else { downstream += count }
                if (index == 0 && cut?.afterUpstreamBytes == upstream)
                    || (index == 1 && cut?.afterDownstreamBytes == downstream)
                {
                    cutNow(client, server)
                    return
                }
            }
        }
    }

    private func cutNow(_ client: Int32, _ server: Int32) {
        state.withLock { $0.cutsMade += 1 }
        // An abortive close (RST) on both sides: as a dropped mobile connection looks to each end.
        var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
        setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
        setsockopt(server, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
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
