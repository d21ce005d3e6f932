import FieldSyncModel
import FieldSyncStore
import Hummingbird

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

    /// `GET /metrics` → the Prometheus text exposition.
    func prometheusMetrics() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }
}
