import Hummingbird
import NIOCore

/// The context of every request the API answers: Hummingbird's own, the connection's peer, and the
/// calling device once ``Authentication`` has run (only on the routes that ask for credentials, whose
/// handlers get a ``CallerRequestContext`` instead).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The authenticated caller; nil until ``Authentication`` sets it.
    var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

extension RemoteAddressRequestContext {
    /// The client's address (see ``ClientAddress``).
    func client(of request: Request) -> String {
        ClientAddress.of(request, peer: remoteAddress)
    }
}
