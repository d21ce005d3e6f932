import FieldSyncModel
import NIOCore

extension AuditServer {
    /// `GET /v1/photos/{sha256}`: the photo's bytes; nil when the server does not hold it (404).
    public func photo(_ photo: SHA256Digest) async throws(AuditServerError) -> [UInt8]? {
        do {
            return try await document("/v1/photos/\(photo.hex)", timeout: .minutes(5))
        } catch {
            if error.kind == .refused(status: 404) { return nil }
            throw error
        }
    }
}
