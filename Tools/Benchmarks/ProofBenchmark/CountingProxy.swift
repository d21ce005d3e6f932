import Foundation
import ServeSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay from a free loopback port to a server's: it passes every byte on unchanged and counts
/// them, so that what a client sends and receives is measured on the wire, HTTP headers included. Each
/// connection is relayed by two threads of its own, one each way (blocking reads and writes).
final class CountingProxy: Sendable {
    /// The port clients connect to.
    let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let sent = Atomic<Int>(0)
    private let received = Atomic<Int>(0)

    /// Listens on a free port of 127.0.0.1, relaying to `upstreamPort` there.
    init(upstreamPort: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw BenchmarkFailure("the counting proxy cannot listen: errno \(errno)") }
        self.upstreamPort = upstreamPort
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptConnections() }
    }

    /// The bytes relayed so far: from clients to the server, and back.
    var bytes: (sent: Int, received: Int) { (sent.load(ordering: .relaxed), received.load(ordering: .relaxed)) }

    /// Stops accepting connections (those open are relayed to their end).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptConnections() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard server >= 0, connected else {
                close(client)
                if server >= 0 { close(server) }
                continue
            }
            let connection = Connection(client: client, server: server)
            Thread.detachNewThread { [self] in relay(connection, from: client, to: server, counter: sent) }
            Thread.detachNewThread { [self] in relay(connection, from: server, to: client, counter: received) }
        }
    }

    /// Copies `from` to `to` until `from` ends, counting the bytes; then ends `to`'s sending side, and
    /// closes both once the other direction has ended too.
    private func relay(_ connection: Connection, from: Int32, to: Int32, counter: borrowing Atomic<Int>) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        copying: while true {
            let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var written = 0
            while written < count {
                let wrote = buffer.withUnsafeBytes {
                    send(to, $0.baseAddress! + written, count - written, Int32(MSG_NOSIGNAL))
                }
                guard wrote > 0 else { break copying }
                written += wrote
            }
            counter.add(count, ordering: .relaxed)
        }
        shutdown(to, Int32(SHUT_WR))
        connection.directionEnded()
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// One relayed connection: closed when both directions have ended.
    private final class Connection: Sendable {
        let client: Int32
        let server: Int32
        private let ended = Atomic<Int>(0)

        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }

        func directionEnded() {
            guard ended.add(1, ordering: .acquiringAndReleasing).newValue == 2 else { return }
            close(client)
            close(server)
        }
    }
}
