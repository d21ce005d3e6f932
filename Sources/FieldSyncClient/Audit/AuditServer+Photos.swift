import AsyncHTTPClient
import FieldSyncModel
import NIOCore
import NIOHTTP1

extension AuditServer {
    /// How the server answered a request for a photo's bytes.
    public enum PhotoAnswer: Sendable, Hashable {
        /// The bytes from `start` on were received (`start` 0: the whole photo).
        case received(start: Int)
        /// The server does not hold the photo (404).
        case notStored
    }

    /// `GET /v1/photos/{sha256}` with `Range: bytes=START-` when `start` is above 0: `receive` gets the
    /// body's pieces as they arrive. The server may send the whole photo instead of the range (then the
    /// answer's `start` is 0). A connection that breaks off mid-body is `.unreachable`, after the pieces
    /// that arrived were received.
    public func photo(
        _ photo: SHA256Digest, from start: Int, receive: (ByteBuffer) throws -> Void
    ) async throws -> PhotoAnswer {
        let path = "/v1/photos/\(photo.hex)"
        let headers = start > 0 ? [("Range", "bytes=\(start)-")] : []
        let response: HTTPClientResponse
        do {
            response = try await api.response(.GET, path, headers: headers, timeout: .minutes(5))
        } catch {
            throw AuditServerError(error)
        }
        let answered: PhotoAnswer
        switch response.status.code {
        case 404: return .notStored
        case 206 where start > 0: answered = .received(start: start)
        case 200: answered = .received(start: 0)
        default:
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            throw refusal(.GET, path, status: Int(response.status.code), body: body)
        }
        try await receiveBody(of: response, brokeOff: "the photo \(photo.hex) broke off", receive: receive)
        return answered
    }
}
