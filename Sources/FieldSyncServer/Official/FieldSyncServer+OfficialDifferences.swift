import FieldSyncModel
import FieldSyncStore
import FieldSyncTally
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/official` (editor, auditor) → the commission's Form-45s against the field's reports, for the
    /// whole city: `{position, constituency: null, margin: null, stations, differences}` (``OfficialDifferences``),
    /// the most decisive first, as of the projector's checkpoint. It reads every station's summary (which keeps
    /// the official Form-45s and each report's device and photo), so it is made in one of the export slots (503
    /// `exports-busy` when they are taken).
    func officialDifferences() async throws -> Response {
        let slot = try exports.take()
        defer { slot.release() }
        let snapshot = try await TallyStore(pool: pool).snapshot(kinds: [.stationSummary, .constituency])
        let differences = OfficialDifferences(
            stations: try snapshot.documents(.stationSummary).map(Self.parse),
            seats: try snapshot.documents(.constituency).map(Self.parse))
        var answer = differences.jsonValue.objectValue ?? [:]
        answer["position"] = .integer(snapshot.position)
        return JSONResponse.make(.object(answer))
    }
}
