import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/official` (editor, auditor) → the commission's Form-45s against the field's reports, for the
    /// whole city: `{position, constituency: null, margin: null, stations, differences}` (``OfficialDifferences``),
    /// the most decisive first, as of the projector's checkpoint: the row the projector keeps with each batch
    /// (``ElectionTally/officialComparison``), served as stored with the position added among its members, and
    /// an `ETag` (``DocumentAnswer``).
    func officialDifferences(_ request: Request) async throws -> Response {
        let snapshot = try await TallyStore(pool: pool).snapshot(keys: [(.official, "city")])
        let bytes =
            snapshot.document(.official, "city")?.bytes
            ?? CanonicalJSON.bytes(ElectionTally().officialComparison.jsonValue)
        guard let stored = StoredObjectMembers(bytes) else {
            throw Problem(.internalError, "the stored official comparison is not a JSON object")
        }
        return DocumentAnswer.storedObject(stored, adding: ["position": .integer(snapshot.position)])
            .response(to: request)
    }
}
