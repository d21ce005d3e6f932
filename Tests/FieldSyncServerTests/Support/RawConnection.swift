import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to the server under test driven byte by byte, as a slow or hostile client does:
/// non-blocking, so many can be held from one task.
final class RawConnection {
    private let socket: Int32
    /// Everything read so far, as text.
    private(set) var received = ""

    /// Connects to `url`'s host and port (an `http://127.0.0.1:PORT` URL); with `receiveBuffer`, the
    /// socket's receive buffer is that small, so a server writing to a client that does not read is held
    /// up soon.
    init(to url: String, receiveBuffer: Int32? = nil) throws {
        guard let components = URLComponents(string: url), let port = components.port else {
            throw TestServerError("not a URL with a port: \(url)")
        }
        // Close-on-exec: a program another test starts must not hold the connection open.
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        if var size = receiveBuffer {
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(socket)
            throw TestServerError("connect: \(reason)")
        }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
    }

    deinit { Glibc.close(socket) }

    /// Sends `bytes`; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends a GET request for `path` with a bearer token and more header lines, on a connection kept alive.
    @discardableResult
    func get(_ path: String, token: String? = nil, headers: [String] = []) -> Bool {
        let lines =
            ["GET \(path) HTTP/1.1", "Host: 127.0.0.1"] + (token.map { ["Authorization: Bearer \($0)"] } ?? [])
            + headers
        return send(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    /// Reads what has arrived, without waiting, and keeps it in ``received``; nil once the server has
    /// closed the connection and everything it sent has been read.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            received += String(decoding: buffer.prefix(count), as: UTF8.self)
            return Array(buffer.prefix(count))
        }
        if count == 0 { return nil }
        return errno == EAGAIN || errno == EWOULDBLOCK ? [] : nil
    }

    /// Reads until ``received`` contains `text` or the server closes the connection, for at most
    /// `seconds` (only a guard against a hang: a loaded machine may take minutes); whether it arrived.
    func wait(for text: String, seconds: Double = 300) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while !received.contains(text) && ContinuousClock.now < deadline {
            guard let bytes = receive() else { return received.contains(text) }
            if bytes.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        return received.contains(text)
    }

    /// Waits for the server to close the connection, for at most `seconds` (a guard against a hang);
    /// whether it did.
    func waitForClose(seconds: Double = 300) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if isClosed { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Whether the server has closed the connection (reading and dropping whatever it sent first).
    var isClosed: Bool {
        while let bytes = receive() {
            if bytes.isEmpty { return false }
        }
        return true
    }

    /// Raises this process's limit of open files to its hard limit; returns the limit now in force.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}
