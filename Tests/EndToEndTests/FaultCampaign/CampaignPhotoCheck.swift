import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation

/// The photos' half of the campaign's invariant, checked once the reporters have synced: every photo a
/// stored event names is stored once and intact (its bytes hash to its name; its size and type are the
/// event's); no photo is stored that no stored event names; no piece of an upload is left that belongs
/// to a stored photo.
///
/// What the server keeps is read from its database (as the cluster's superuser, which sees every row);
/// each photo's bytes are fetched over `GET /v1/photos/{sha256}` and hashed when the photo first
/// appears, and every photo is fetched and hashed again by `fieldsync audit export --photos` and
/// `audit verify --photos` whenever the whole log is checked (``CampaignAuditor/verifyWholeLog(_:)``).
struct CampaignPhotoCheck {
    let database: PostgresConfiguration
    let server: ServerUnderTest
    let token: String
    /// The photos fetched over HTTP and found to be what their events say.
    private(set) var fetched = Set<SHA256Digest>()

    init(database: PostgresConfiguration, server: ServerUnderTest, token: String) {
        self.database = database
        self.server = server
        self.token = token
    }

    /// One stored photo as the database holds it.
    private struct Kept {
        var type: String
        var size: Int
        var length: Int
    }

    /// Checks the photos the stored events name (`named`: each photo with what every event naming it
    /// says of it) against what the server keeps; the problems found (none when all is well).
    mutating func check(named: [SHA256Digest: Set<PhotoReference>]) async throws -> [String] {
        let connection = try await PostgresConnection.connect(database)
        let rows: PostgresResult
        let parts: PostgresResult
        do {
            rows = try await connection.query("SELECT sha256, media_type, size, length(bytes) FROM photos")
            parts = try await connection.query("SELECT DISTINCT sha256 FROM photo_parts")
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        var problems = [String]()
        var kept = [SHA256Digest: Kept]()
        for row in rows {
            let name = try row.decode(SHA256Digest.self, column: 0)
            if kept[name] != nil { problems.append("the photo \(name.hex) is stored more than once") }
            kept[name] = Kept(
                type: try row.decode(String.self, column: 1), size: try row.decode(Int.self, column: 2),
                length: try row.decode(Int.self, column: 3))
        }
        for (name, claims) in named.sorted(by: { $0.key.hex < $1.key.hex }) {
            guard let photo = kept[name] else {
                problems.append("the photo \(name.hex), named by a stored event, is not stored")
                continue
            }
            for claim in claims {
                if let size = claim.size, size != photo.size || size != photo.length {
                    problems.append(
                        "the photo \(name.hex) has \(photo.length) bytes (\(photo.size) said), its event says \(size)")
                }
                if let type = claim.type, type.rawValue != photo.type {
                    problems.append("the photo \(name.hex) is stored as \(photo.type), its event says \(type.rawValue)")
                }
            }
            if !fetched.contains(name) {
                if let problem = try await fetch(name, type: photo.type, size: photo.size) {
                    problems.append(problem)
                } else {
                    fetched.insert(name)
                }
            }
        }
        for name in kept.keys.sorted(by: { $0.hex < $1.hex }) where named[name] == nil {
            problems.append("the photo \(name.hex) is stored, and no stored event names it")
        }
        for row in parts {
            let name = try row.decode(SHA256Digest.self, column: 0)
            if kept[name] != nil { problems.append("pieces of an upload of the stored photo \(name.hex) are left") }
        }
        return problems
    }

    /// Fetches a stored photo as an editor does; what is wrong with it, or nil.
    private func fetch(_ name: SHA256Digest, type: String, size: Int) async throws -> String? {
        let answer = try await HTTP.get(server.url + "/v1/photos/\(name.hex)", token: token)
        guard answer.status == 200 else { return "GET /v1/photos/\(name.hex): HTTP \(answer.status) \(answer.text)" }
        let hash = SHA256Digest.hash(answer.body)
        if hash != name { return "the bytes of the photo \(name.hex) hash to \(hash.hex)" }
        if answer.body.count != size {
            return "the photo \(name.hex) comes with \(answer.body.count) bytes, not \(size)"
        }
        if PhotoType(magic: answer.body)?.rawValue != type {
            return "the bytes of the photo \(name.hex) are not the \(type) it is stored as"
        }
        return nil
    }
}
