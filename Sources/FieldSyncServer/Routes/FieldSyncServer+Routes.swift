import FieldSyncModel
import Hummingbird

extension FieldSyncServer {
    /// Every endpoint of the API. `Schema/openapi.yaml` describes each; a test holds the two together.
    var routes: [Route] {
        [
            Route(.post, "/v1/enroll", .open) { request, _, _ in try await enrollDevice(request) },
            Route(.post, "/v1/enrollment-codes", .roles([.admin])) { request, _, _ in try await issueCode(request) },
            Route(.post, "/v1/events", .roles([.reporter])) { request, _, caller in
                try await pushEvents(request, caller: caller!)
            },
            Route(.get, "/v1/events", .roles([.editor, .auditor])) { request, _, _ in try await exportEvents(request) },
            Route(.get, "/v1/devices/:device/head", .anyDevice) { _, context, caller in
                try await deviceHead(context.parameters.get("device") ?? "", caller: caller!)
            },
            Route(.post, "/v1/devices/:device/revocation", .roles([.admin])) { request, context, _ in
                try await revokeDevice(request, device: context.parameters.get("device") ?? "")
            },
            Route(.get, "/v1/devices/:device/assignment", .anyDevice) { _, context, caller in
                try await deviceAssignment(context.parameters.get("device") ?? "", caller: caller!)
            },
            Route(.post, "/v1/devices/:device/assignment", .roles([.admin])) { request, context, _ in
                try await assignDevice(request, device: context.parameters.get("device") ?? "")
            },
            Route(.post, "/v1/stations/:station/reviews", .roles([.editor])) { request, context, caller in
                try await reviewStation(request, station: context.parameters.get("station") ?? "", caller: caller!)
            },
            Route(.get, "/v1/reviews", .roles([.editor, .auditor])) { request, _, _ in try await reviewList(request) },
            Route(.get, "/v1/chain/head", .roles([.auditor])) { _, _, _ in try await chainHead() },
            Route(.get, "/v1/reference", .anyDevice) { request, _, _ in await referenceEvents(request) },
            Route(.get, "/v1/tallies", .roles([.editor, .auditor])) { request, _, _ in try await overviewTallies(request) },
            Route(.get, "/v1/tallies/:constituency", .roles([.editor, .auditor])) { request, context, _ in
                try await constituencyTally(request, code: context.parameters.get("constituency") ?? "")
            },
            Route(.get, "/v1/stations/:station", .roles([.editor, .auditor])) { request, context, _ in
                try await stationTally(request, code: context.parameters.get("station") ?? "")
            },
            Route(.get, "/v1/live", .roles([.editor])) { request, _, _ in try await liveTallies(request) },
            Route(.get, "/v1/openapi.yaml", .open) { _, _, _ in try Self.embeddedFile("openapi.yaml", type: "application/yaml") },
            Route(.get, "/healthz", .open) { _, _, _ in await health() },
            Route(.get, "/metrics", .open) { _, _, _ in await prometheusMetrics() },
        ] + dashboardRoutes
    }

    /// The router: every route behind authentication, with problem+json errors and request metrics.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let routes = self.routes
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware(routes: routes, logger: logger))
        let authenticator = Authenticator(credentials: credentials)
        for route in routes {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                let caller = try await authenticator.caller(of: request, access: route.access, path: route.path)
                return try await route.handler(request, context, caller)
            }
        }
        return router
    }

    /// The HTTP application, listening where the configuration says; `onRunning` is told the port once
    /// it listens (useful with port 0).
    public func makeApplication(onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>>
    {
        Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "FieldSync"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    private static func embeddedFile(_ name: String, type: String) throws -> Response {
        guard let file = EmbeddedFiles.all.first(where: { $0.name == name }) else {
            throw Problem(.notFound, "\(name) was not built into this server")
        }
        return Response(
            status: .ok, headers: [.contentType: type],
            body: ResponseBody(byteBuffer: ByteBuffer(string: file.contents)))
    }
}
