import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import Hummingbird
import Prometheus

extension FieldSyncServer {
    /// `GET /healthz` → 200 {status: "ok", database: "reachable", position} or 503 {status: "unavailable",
    /// database: why}.
    func health() async -> Response {
        do {
            let head = try await events.head()
            return JSONResponse.make(
                ["status": "ok", "database": "reachable", "position": .integer(head.position)])
        } catch {
            return JSONResponse.make(
                ["status": "unavailable", "database": .string("\(error)")], status: .serviceUnavailable)
        }
    }

    /// `GET /metrics` → the Prometheus text exposition. The projector's lag is measured at each scrape:
    /// the log's head less the projector's checkpoint, wherever the projector runs. On the API it needs an
    /// admin's token; on ``ServerConfiguration/metricsAddress`` none.
    func prometheusMetrics() async -> Response {
        if let head = try? await events.head().position,
            let checkpoint = try? await TallyStore(pool: pool).checkpoint(of: "tallies")
        {
            metrics.projectorLag.set(max(0, head - checkpoint))
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    /// The metrics listener of ``ServerConfiguration/metricsAddress``, or nil when there is none: `GET
    /// /metrics` without credentials, for a Prometheus that scrapes over a private network or loopback;
    /// every other path is 404. `onRunning` is told the port once it listens.
    public func makeMetricsApplication(
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        -> Application<RouterResponder<APIRequestContext>>?
    {
        guard let address = configuration.metricsAddress else { return nil }
        let route = Route.open(.get, "/metrics") { _, _ in await prometheusMetrics() }
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ProblemMiddleware(routes: [route], logger: logger))
        router.on(RouterPath(route.path), method: route.method) { _, _ in await prometheusMetrics() }
        return application(router, at: address, onRunning: onRunning)
    }
}
