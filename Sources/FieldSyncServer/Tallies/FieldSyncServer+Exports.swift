import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import HTTPTypes
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/exports/{what}.csv` → the live tallies as a spreadsheet (RFC 4180, a header row, UTF-8,
    /// CRLF): `stations`, `seats` or `incidents` (``TallyExport``), as of the projector's checkpoint,
    /// which the `FieldSync-Position` header gives. Anything else is refused, naming the values allowed.
    /// Made in one of the export slots (503 `exports-busy` when they are taken), like `GET /v1/events`.
    func exportCSV(what: String) async throws -> Response {
        guard let export = TallyExport(rawValue: what) else {
            throw Problem.invalidRequest(
                field: "what", code: .notAllowed,
                problem: "there is no export \"\(what).csv\": the exports are \(TallyExport.allowedNames)",
                allowed: TallyExport.allowedNames)
        }
        let slot = try exports.take()
        defer { slot.release() }
        let kind: TallyRow.Kind =
            switch export.source {
            case .stations: .station
            case .seats: .constituency
            }
        let snapshot = try await TallyStore(pool: pool).snapshot(kinds: [kind])
        let documents = try snapshot.documents(kind).map(Self.parse)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8; header=present",
                .contentDisposition: "attachment; filename=\"\(export.rawValue).csv\"",
                Self.positionField: String(snapshot.position),
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: export.csv(documents))))
    }

    static let positionField = HTTPField.Name("FieldSync-Position")!
}
