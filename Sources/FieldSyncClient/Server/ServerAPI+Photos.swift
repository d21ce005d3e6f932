import FieldSyncModel
import NIOHTTP1

extension ServerAPI {
    /// What the server holds of a photo (`GET /v1/photos/{sha256}/upload`, and the answer to each piece).
    public struct PhotoHeld: Sendable, Hashable, Decodable {
        /// The bytes held, from byte 0.
        public var held: Int
        public var complete: Bool
    }

    /// `GET /v1/photos/{sha256}/upload`: how many bytes of the photo the server holds.
    public func photoHeld(_ photo: SHA256Digest) async throws(ServerAPIError) -> PhotoHeld {
        let answer = try await send(.GET, "/v1/photos/\(photo.hex)/upload")
        guard answer.status == 200 else { throw failure(answer) }
        return try answer.decode(PhotoHeld.self, "the photo upload state")
    }

    /// `PUT /v1/photos/{sha256}` of the bytes of `photo` from `start` (`Content-Range`). A piece that
    /// does not start where the server's bytes end is answered with what the server holds, to go on from.
    public func sendPhoto(
        _ bytes: ArraySlice<UInt8>, of photo: PhotoReference, from start: Int, size: Int
    ) async throws(ServerAPIError) -> PhotoHeld {
        let range = "bytes \(start)-\(start + bytes.count - 1)/\(size)"
        let answer = try await send(
            .PUT, "/v1/photos/\(photo.sha256.hex)", body: Array(bytes),
            contentType: (photo.type ?? .jpeg).rawValue, headers: [("Content-Range", range)])
        switch answer.status {
        case 200, 201: return try answer.decode(PhotoHeld.self, "the photo upload answer")
        case 409 where ProblemDetails(body: answer.body)?.kind == .photoUploadOffset:
            guard let held = ProblemDetails(body: answer.body)?.photo?.held else {
                throw .badAnswer("the photo-upload-offset answer has no held")
            }
            return PhotoHeld(held: Int(held), complete: false)
        default: throw failure(answer)
        }
    }

    /// `GET /v1/photos/{sha256}`: a stored photo's bytes (editors and auditors).
    public func photo(_ photo: SHA256Digest) async throws(ServerAPIError) -> [UInt8] {
        let answer = try await send(.GET, "/v1/photos/\(photo.hex)")
        guard answer.status == 200 else { throw failure(answer) }
        return answer.body
    }
}
