import FieldSyncModel
import FieldSyncStore
import FieldSyncTally
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/official` (editor, auditor) → the commission's Form-45s against the field's reports, for the
    /// whole city: `{position, constituency: null, margin: null, stations, differences}` (``OfficialDifferences``),
    /// the most decisive first, as of the projector's checkpoint: the row the projector keeps with each batch
    /// (``ElectionTally/officialComparison``), served as stored.
    func officialDifferences() async throws -> Response {
        let snapshot = try await TallyStore(pool: pool).snapshot(keys: [(.official, "city")])
        var answer =
            try snapshot.document(.official, "city").map(Self.parse)?.objectValue
            ?? ElectionTally().officialComparison.jsonValue.objectValue ?? [:]
        answer["position"] = .integer(snapshot.position)
        return JSONResponse.make(.object(answer))
    }
}
