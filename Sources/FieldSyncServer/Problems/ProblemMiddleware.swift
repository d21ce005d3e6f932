import FieldSyncStore
import Hummingbird
import Logging

/// Answers every failure as `application/problem+json`: the API's own ``Problem``s, Hummingbird's
/// errors (an unknown path is `not-found`; a known path with another method is `method-not-allowed`),
/// a lost database (`unavailable`), and anything else as `internal`, logged. A client that went away
/// mid-request is not an error of the server's: see ``ClientDisconnected``.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let routes: [Route]
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let path = request.uri.path
            let allowed = routes.filter { $0.matches(path: path) }.map(\.method)
            let problem =
                allowed.isEmpty
                ? Problem(.notFound, "no endpoint at \(path); see /v1/openapi.yaml for the API")
                : Problem.methodNotAllowed(request.method, path: path, allowed: allowed)
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Self.problem(for: error).response(from: request, context: context)
        } catch let error where ClientDisconnected.isDisconnection(error) {
            logger.debug(
                "the client closed the connection",
                metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            throw ClientDisconnected()
        } catch let error as PostgresError where error.code == .connectionFailed || error.code == .connectionLost {
            logger.error("the database cannot be reached", metadata: ["error": "\(error)"])
            return try Problem(.unavailable, "the database cannot be reached; try again shortly")
                .response(from: request, context: context)
        } catch {
            logger.error(
                "request failed",
                metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            return try Problem(.internalError, "the server failed to answer; its log says why")
                .response(from: request, context: context)
        }
    }

    /// Hummingbird's own errors, in the API's kinds.
    static func problem(for error: any HTTPResponseError) -> Problem {
        let detail = (error as? HTTPError)?.body ?? "\(error.status)"
        switch error.status {
        case .notFound: return Problem(.notFound, detail)
        case .methodNotAllowed: return Problem(.methodNotAllowed, detail)
        case .contentTooLarge: return Problem(.bodyTooLarge, detail)
        case .unsupportedMediaType: return Problem(.unsupportedMediaType, detail)
        case .unauthorized: return Problem.unauthorized(detail)
        case .forbidden: return Problem(.forbidden, detail)
        case .badRequest: return Problem(.invalidRequest, detail)
        default: return Problem(.internalError, detail)
        }
    }
}
