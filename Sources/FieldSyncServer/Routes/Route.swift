import FieldSyncModel
import Hummingbird

/// One endpoint of the API: method, path (Hummingbird's `:parameter` syntax), who may call it, and the
/// handler. A route for devices gets a ``CallerRequestContext``, whose caller is never missing; an open
/// route gets the plain ``APIRequestContext``. The two constructors are the only way to make a route, so
/// a route's access and its handler's context always agree.
struct Route: Sendable {
    enum Handler: Sendable {
        case open(@Sendable (Request, APIRequestContext) async throws -> Response)
        case device(@Sendable (Request, CallerRequestContext) async throws -> Response)
    }

    let method: HTTPRequest.Method
    let path: String
    let access: Access
    let handler: Handler

    private init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }

    /// An endpoint anyone may call: no credentials are asked for.
    static func open(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response
    ) -> Route {
        Route(method, path, .open, .open(handler))
    }

    /// An endpoint for enrolled devices of `roles` (admins may call every one).
    static func device(
        _ method: HTTPRequest.Method, _ path: String, _ roles: Set<DeviceRole>,
        _ handler: @escaping @Sendable (Request, CallerRequestContext) async throws -> Response
    ) -> Route {
        Route(method, path, .roles(roles), .device(handler))
    }

    /// Whether a request path is this route's path, parameters matching any segment.
    func matches(path requested: String) -> Bool {
        let pattern = path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = requested.split(separator: "/", omittingEmptySubsequences: true)
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { pattern, segment in
            if pattern.hasPrefix(":") { return true }
            // `{what}.csv`: a parameter followed by a fixed suffix.
            if pattern.hasPrefix("{"), let close = pattern.firstIndex(of: "}") {
                let suffix = pattern[pattern.index(after: close)...]
                return segment.count > suffix.count && segment.hasSuffix(suffix)
            }
            return pattern == segment
        }
    }
}
