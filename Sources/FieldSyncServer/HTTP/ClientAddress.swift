import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The address a request came from, for throttling and for the log: the connection's peer. When the
/// peer is this machine (a reverse proxy on the same host, as `Deploy/nginx-fieldsync.conf` sets up),
/// the last address of `X-Forwarded-For`, which the proxy appends, is the client's instead.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func of(_ request: Request, peer: SocketAddress?) -> String {
        let address = peer?.ipAddress ?? "unknown"
        guard isLoopback(address), let forwarded = request.headers[values: forwardedFor].last,
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty,
            last.count <= 64
        else { return address }
        return last
    }

    /// Whether `address` is this machine's: 127.0.0.0/8 or ::1 (also as an IPv4-mapped IPv6 address).
    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}
