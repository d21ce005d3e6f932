import FieldSyncModel
import NIOHTTP1

extension ServerAPI {
    /// `POST /v1/bundles`: a bundle's bytes, carried by this device for their authors.
    public func pushBundle(_ bytes: [UInt8]) async throws(ServerAPIError) -> BundleAnswer {
        let answer = try await send(.POST, "/v1/bundles", body: bytes, contentType: "application/vnd.fieldsync.bundle")
        guard answer.status == 200 else { throw failure(answer) }
        return try answer.decode(BundleAnswer.self, "the bundle answer")
    }
}
