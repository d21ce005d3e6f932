import Hummingbird

/// One endpoint of the API: method, path (Hummingbird's `:parameter` syntax), who may call it, and
/// the handler, given the caller when the endpoint asks for one.
struct Route: Sendable {
    typealias Handler = @Sendable (Request, BasicRequestContext, Caller?) async throws -> Response

    let method: HTTPRequest.Method
    let path: String
    let access: Access
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }

    /// Whether a request path is this route's path, parameters matching any segment.
    func matches(path requested: String) -> Bool {
        let pattern = path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = requested.split(separator: "/", omittingEmptySubsequences: true)
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { pattern, segment in pattern.hasPrefix(":") || pattern == segment }
    }
}
