import FieldSyncModel
import Hummingbird
import HummingbirdCore

extension FieldSyncServer {
    /// Every endpoint of the API, and who may call it: the one place that says so. `Schema/openapi.yaml`
    /// describes each; a test holds the two together.
    var routes: [Route] {
        [
            .open(.post, "/v1/enroll") { request, context in try await enrollDevice(request, context: context) },
            .device(.post, "/v1/enrollment-codes", [.admin]) { request, context in
                try await issueCode(request, caller: context.caller)
            },
            .device(.post, "/v1/token", Access.anyDevice) { request, context in
                try await rotateToken(request, context: context)
            },
            .device(.post, "/v1/events", [.reporter]) { request, context in
                try await pushEvents(request, caller: context.caller)
            },
            // Any enrolled device may carry a bundle: the events are checked as their authors', not the carrier's.
            .device(.post, "/v1/bundles", Access.anyDevice) { request, _ in try await pushBundle(request) },
            .device(.get, "/v1/events", [.editor, .auditor]) { request, _ in try await exportEvents(request) },
            .device(.get, "/v1/devices/:device/head", Access.anyDevice) { _, context in
                try await deviceHead(context.parameters.get("device") ?? "", caller: context.caller)
            },
            .device(.post, "/v1/devices/:device/revocation", [.admin]) { request, context in
                try await revokeDevice(request, device: context.parameters.get("device") ?? "", caller: context.caller)
            },
            .device(.get, "/v1/devices/:device/assignment", Access.anyDevice) { _, context in
                try await deviceAssignment(context.parameters.get("device") ?? "", caller: context.caller)
            },
            .device(.post, "/v1/devices/:device/assignment", [.admin]) { request, context in
                try await assignDevice(request, device: context.parameters.get("device") ?? "", caller: context.caller)
            },
            .device(.post, "/v1/stations/:station/reviews", [.editor]) { request, context in
                try await reviewStation(
                    request, station: context.parameters.get("station") ?? "", caller: context.caller)
            },
            .device(.get, "/v1/reviews", [.editor, .auditor]) { request, _ in try await reviewList(request) },
            .device(.post, "/v1/official", [.editor]) { request, context in
                try await importOfficial(request, caller: context.caller)
            },
            .device(.get, "/v1/official", [.editor, .auditor]) { request, _ in try await officialDifferences(request) },
            .device(.get, "/v1/chain/head", [.auditor]) { _, _ in try await chainHead() },
            // Tree heads and proofs hold only hashes: every enrolled device may check the log with them.
            .device(.get, "/v1/tree/head", Access.anyDevice) { _, _ in try await treeHead() },
            .device(.get, "/v1/tree/heads", Access.anyDevice) { request, _ in try await treeHeadList(request) },
            .device(.get, "/v1/tree/inclusion", Access.anyDevice) { request, _ in try await inclusionProof(request) },
            .device(.get, "/v1/tree/consistency", Access.anyDevice) { request, _ in
                try await consistencyProof(request)
            },
            // A cosignature proves itself by the witness's registered key; evidence of a split view by the
            // server's own signatures: any enrolled device may bring either.
            .device(.post, "/v1/tree/cosignatures", Access.anyDevice) { request, _ in
                try await addCosignature(request)
            },
            .device(.get, "/v1/tree/split-views", Access.anyDevice) { _, _ in try await splitViewList() },
            .device(.get, "/v1/tree/witnessed", Access.anyDevice) { request, _ in try await witnessed(request) },
            .device(.post, "/v1/tree/split-views", Access.anyDevice) { request, _ in
                try await addSplitView(request)
            },
            .device(.get, "/v1/reference", Access.anyDevice) { request, _ in await referenceEvents(request) },
            .device(.get, "/v1/tallies", [.editor, .auditor]) { request, _ in try await overviewTallies(request) },
            .device(.get, "/v1/tallies/:constituency", [.editor, .auditor]) { request, context in
                try await constituencyTally(request, code: context.parameters.get("constituency") ?? "")
            },
            .device(.get, "/v1/tallies/:constituency/photos", [.editor, .auditor]) { _, context in
                try await constituencyPhotos(code: context.parameters.get("constituency") ?? "")
            },
            .device(.get, "/v1/stations/:station", [.editor, .auditor]) { request, context in
                try await stationTally(request, code: context.parameters.get("station") ?? "")
            },
            .device(.get, "/v1/exports/{what}.csv", [.editor, .auditor]) { _, context in
                try await exportCSV(what: context.parameters.get("what") ?? "")
            },
            .device(.put, "/v1/photos/:sha256", [.reporter]) { request, context in
                try await uploadPhoto(request, name: context.parameters.get("sha256") ?? "", caller: context.caller)
            },
            .device(.get, "/v1/photos/:sha256/upload", [.reporter]) { _, context in
                try await photoUpload(name: context.parameters.get("sha256") ?? "")
            },
            .device(.get, "/v1/photos/:sha256", [.editor, .auditor]) { request, context in
                try await photoBytes(request, name: context.parameters.get("sha256") ?? "")
            },
            .device(.get, "/v1/live", [.editor]) { request, context in
                try await liveTallies(request, caller: context.caller)
            },
            .open(.get, "/v1/openapi.yaml") { _, _ in try Self.embeddedFile("openapi.yaml", type: "application/yaml") },
            .open(.get, "/healthz") { _, _ in await health() },
            // Operators only: an admin's token. `serve --metrics-address` serves it without one on its own address.
            .device(.get, "/metrics", [.admin]) { _, _ in await prometheusMetrics() },
        ] + dashboardRoutes
    }

    /// The router: problem+json errors and request metrics around everything; the open routes; and for
    /// each access level a group whose middleware authenticates the caller and checks its role, and
    /// whose handlers get it in a ``CallerRequestContext``.
    public func makeRouter() -> Router<APIRequestContext> {
        let routes = self.routes
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware(routes: routes, logger: logger))
        let authenticator = Authenticator(credentials: credentials)
        var groups: [Access: RouterGroup<CallerRequestContext>] = [:]
        for route in routes {
            let path = RouterPath(route.path)
            switch route.handler {
            case .open(let handler):
                router.on(path, method: route.method) { request, context in try await handler(request, context) }
            case .device(let handler):
                let group =
                    groups[route.access]
                    ?? router.group()
                    .add(
                        middleware: Authentication(
                            authenticator: authenticator, access: route.access, failures: failures, metrics: metrics)
                    )
                    .group(context: CallerRequestContext.self)
                groups[route.access] = group
                group.on(path, method: route.method) { request, context in try await handler(request, context) }
            }
        }
        return router
    }

    /// The HTTP application, listening where the configuration says; `onRunning` is told the port once
    /// it listens (useful with port 0).
    public func makeApplication(
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        -> Application<RouterResponder<APIRequestContext>>
    {
        application(
            makeRouter(), at: ListenAddress(host: configuration.host, port: configuration.port), onRunning: onRunning)
    }

    /// An application of `router` listening at `address`, with the server's header, body and idle
    /// timeouts on every connection (``ConnectionDeadlines``).
    func application(
        _ router: Router<APIRequestContext>, at address: ListenAddress,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> Application<RouterResponder<APIRequestContext>> {
        let (timeouts, metrics) = (configuration.timeouts, metrics)
        let deadlines: @Sendable () -> ConnectionDeadlines = {
            ConnectionDeadlines(timeouts: timeouts, onTimeout: metrics.countTimeout)
        }
        return Application(
            router: router,
            server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [deadlines()])),
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: "FieldSync"),
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
