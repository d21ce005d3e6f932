import Hummingbird

/// Counts every answered request by method, route (the matched path pattern) and status.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            let response = try await next(request, context)
            metrics.countRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                status: response.status.code)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.countRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status)
            throw error
        }
    }
}
