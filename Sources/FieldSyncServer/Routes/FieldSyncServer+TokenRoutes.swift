import FieldSyncModel
import Hummingbird
import Logging

extension FieldSyncServer {
    /// `POST /v1/token` (any enrolled device, with its current token; no body, or `{}`) → 200 {device,
    /// token, tokenExpires}: a new token for the calling device. The old one is refused from the moment
    /// the new one is stored, in one statement; the new one lives as long as the device's tokens do,
    /// from now (`tokenExpires` null: never expires).
    func rotateToken(_ request: Request, context: CallerRequestContext) async throws -> Response {
        var members = RequestMembers(
            try await request.jsonObject(limit: configuration.maximumSmallBodyBytes, orNothing: true))
        try members.finish()
        // The middleware has read this header already: it holds a well-formed token of this device.
        guard let header = request.headers[.authorization], let current = BearerToken(authorization: header) else {
            throw Problem.unauthorized("send Authorization: Bearer <token>, the device's current token")
        }
        let device = context.caller.device
        let token = BearerToken.make()
        let expires = try await credentials.rotate(device, from: current.hash, to: token.hash)
        logger.notice(
            "token rotated",
            metadata: [
                "device": "\(device)", "client": "\(context.client(of: request))",
                "tokenExpires": "\(expires?.rfc3339UTC ?? "never")",
            ])
        return JSONResponse.make(
            [
                "device": .string(device.rawValue), "token": .string(token.text),
                "tokenExpires": expires.map { .string($0.rfc3339UTC) } ?? .null,
            ])
    }
}
