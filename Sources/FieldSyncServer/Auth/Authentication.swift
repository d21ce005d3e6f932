import Hummingbird
import Logging

/// The middleware of a group of routes that ask for credentials: authenticates the request's bearer
/// token, checks that the device's role may call the group's routes, and puts the caller in the
/// context, from which the group's ``CallerRequestContext`` is made. A refusal is answered as a
/// problem and logged (at most a line per client a minute, see ``FailureLog``).
struct Authentication: RouterMiddleware {
    typealias Context = APIRequestContext

    let authenticator: Authenticator
    let access: Access
    let failures: FailureLog
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        var context = context
        do {
            context.caller = try await authenticator.caller(of: request, access: access)
        } catch let problem as Problem {
            metrics.countAuthenticationFailure(problem.kind.name)
            await failures.record(
                "authentication refused", client: context.client(of: request),
                metadata: [
                    "problem": "\(problem.kind.name)", "method": "\(request.method)", "path": "\(request.uri.path)",
                    "detail": "\(problem.detail)",
                ])
            throw problem
        }
        return try await next(request, context)
    }
}
