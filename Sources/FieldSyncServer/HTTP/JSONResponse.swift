import FieldSyncModel
import Hummingbird

/// Responses whose body is JSON, written in the protocol's canonical form (RFC 8785) by the model.
enum JSONResponse {
    static func make(
        _ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json"
    ) -> Response {
        var bytes = [UInt8]()
        bytes.reserveCapacity(256)
        CanonicalJSON.write(value, into: &bytes)
        bytes.append(0x0a)
        return Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
