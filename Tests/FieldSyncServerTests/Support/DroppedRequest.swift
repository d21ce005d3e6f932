import Foundation

/// A client that sends the start of a request over a plain socket and then resets the connection, as a
/// laptop losing its network mid-upload does.
enum DroppedRequest {
    /// Sends `bytes` to 127.0.0.1:`port`, waits `pause`, then closes the connection with a reset (RST).
    static func send(_ bytes: [UInt8], port: Int, pause: Duration = .milliseconds(100)) async throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServerError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestServerError("connect: errno \(errno)")
        }
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        try await Task.sleep(for: pause)
        var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
        close(descriptor)
    }
}
