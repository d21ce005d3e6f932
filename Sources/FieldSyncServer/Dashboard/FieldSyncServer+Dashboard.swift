import Hummingbird

extension FieldSyncServer {
    /// The live dashboard: `GET /` for the page and `GET /dashboard/{file}` for each of its other files.
    /// Open: the files hold no data; the page asks for an editor's token and sends it with every API call.
    var dashboardRoutes: [Route] {
        DashboardAsset.all.map { asset in
            Route(.get, asset.path, .open) { request, _, _ in asset.response(to: request) }
        }
    }
}
