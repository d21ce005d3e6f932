import Hummingbird
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client went away before its request was read or answered: a connection reset or closed
/// mid-body, as a dropped mobile connection or a killed program leaves it. Nothing is wrong with the
/// server and nobody is left to answer, so it is logged at debug level only, and counted in the
/// request metrics under status 499 (as nginx counts a client that closed its request).
struct ClientDisconnected: HTTPResponseError {
    var status: HTTPResponse.Status { HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status)
    }

    /// Whether `error` says the connection to the client is gone.
    static func isDisconnection(_ error: any Error) -> Bool {
        if let error = error as? IOError { return [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode) }
        if let error = error as? ChannelError {
            return [.ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed, .eof].contains(error)
        }
        return false
    }
}
