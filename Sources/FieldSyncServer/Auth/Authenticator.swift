import FieldSyncModel
import Hummingbird

/// Turns a request's `Authorization: Bearer <token>` into the calling device, and checks its role.
struct Authenticator: Sendable {
    let credentials: CredentialStore

    /// The caller, or a problem: 401 `unauthorized` without or with unknown credentials, 401
    /// `token-expired` for a token past its lifetime, 403 `device-revoked` for a revoked device, 403
    /// `forbidden` for a role `access` does not allow.
    func caller(of request: Request, access: Access) async throws -> Caller {
        let path = request.uri.path
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized(
                "\(path) needs a device's credentials: send Authorization: Bearer <token>, the token given at enrollment"
            )
        }
        guard let token = BearerToken(authorization: header) else {
            throw Problem.unauthorized(
                "the Authorization header is not a bearer token: send Authorization: Bearer <token>, 43 base64url characters"
            )
        }
        switch try await credentials.lookUp(tokenHash: token.hash) {
        case .unknown:
            throw Problem.unauthorized("the bearer token is not known: enroll the device with an enrollment code first")
        case .expired(let device, let at):
            throw Problem.tokenExpired(device, at: at)
        case .revoked(let device):
            throw Problem(.deviceRevoked, "device \(device) was revoked; its credentials no longer work")
        case .device(let caller):
            guard access.allows(caller.role) else {
                throw Problem(
                    .forbidden,
                    "device \(caller.device) is enrolled as \(caller.role.rawValue); \(path) is for \(access.description)"
                )
            }
            return caller
        }
    }
}
