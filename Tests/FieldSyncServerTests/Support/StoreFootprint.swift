import FieldSyncModel
import FieldSyncServer
import FieldSyncStore

/// What the server under test has stored, read straight from its database: the log's head, the
/// credentials of enrolled devices (how many, and a digest of their tokens, expiries and revocations),
/// the enrollment codes used, the conflicts recorded, the photos and pieces of uploads held, and the witnesses'
/// cosignatures and split views kept. Taken before and after a hostile request, it must not have moved.
struct StoreFootprint: Sendable, Equatable, CustomStringConvertible {
    var head: ChainHead
    var credentials: Int64
    var tokens: String
    var codesUsed: Int64
    var conflicts: Int64
    var photos: Int64
    var photoPieces: Int64
    var cosignatures: Int64
    var splitViews: Int64

    static func of(_ server: TestServer) async throws -> StoreFootprint {
        let head = try await server.server.events.head()
        let (counts, tokens) = try await server.server.pool.withConnection { connection in
            let row = try await connection.query(
                """
                SELECT (SELECT count(*) FROM device_credentials),
                    (SELECT count(*) FROM enrollment_codes WHERE used_at IS NOT NULL),
                    (SELECT count(*) FROM event_conflicts),
                    (SELECT count(*) FROM photos),
                    (SELECT count(*) FROM photo_parts),
                    (SELECT count(*) FROM tree_cosignatures),
                    (SELECT count(*) FROM split_views),
                    (SELECT coalesce(md5(string_agg(device_id || encode(token_hash, 'hex') || coalesce(expires_at::text, '')
                        || coalesce(revoked_at::text, ''), ',' ORDER BY device_id)), '') FROM device_credentials)
                """
            ).first!
            return (try (0..<7).map { try row.decode(Int64.self, column: $0) }, try row.decode(String.self, column: 7))
        }
        return StoreFootprint(
            head: head, credentials: counts[0], tokens: tokens, codesUsed: counts[1], conflicts: counts[2],
            photos: counts[3], photoPieces: counts[4], cosignatures: counts[5], splitViews: counts[6])
    }

    var description: String {
        "head \(head.position), \(credentials) credentials (\(tokens)), \(codesUsed) codes used, \(conflicts) conflicts, "
            + "\(photos) photos, \(photoPieces) pieces of uploads, \(cosignatures) cosignatures, \(splitViews) split views"
    }
}
