import Hummingbird

extension FieldSyncServer {
    /// The live dashboard: `GET /` for the page and `GET /dashboard/{file}` for each of its other files.
    /// Open: the files hold no data; the page asks for an editor's enrollment code, exchanges it for a token
    /// and sends the token with every API call.
    var dashboardRoutes: [Route] {
        DashboardAsset.all.map { asset in
            .open(.get, asset.path) { request, _ in asset.response(to: request) }
        }
    }
}
