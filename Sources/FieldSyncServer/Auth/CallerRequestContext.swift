import Hummingbird
import NIOCore

/// The context of a request from an enrolled device whose role the route allows: the caller is never
/// missing. Made from the ``APIRequestContext`` once ``Authentication`` has set its caller; the routes
/// that ask for credentials are in groups of this context (see ``FieldSyncServer/makeRouter()``).
struct CallerRequestContext: ChildRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let caller: Caller
    let remoteAddress: SocketAddress?

    init(context: APIRequestContext) throws {
        guard let caller = context.caller else {
            // Only when a route of a credentials group was added without the authentication middleware.
            throw Problem.unauthorized("this endpoint needs a device's credentials, and none were checked")
        }
        // The parent's core context whole: its route parameters and endpoint path are already set.
        self.coreContext = context.coreContext
        self.caller = caller
        self.remoteAddress = context.remoteAddress
    }
}
