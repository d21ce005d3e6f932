import FieldSyncModel
import Hummingbird
import Logging

extension FieldSyncServer {
    /// `POST /v1/enroll` {code, publicKey?, name?} → 201 {device, role, name, token, tokenExpires, position,
    /// server}. A client that sent too many wrong codes lately (or all clients together) is answered 429
    /// `enrollment-throttled` with `Retry-After`, whatever its code; each wrong code is counted and logged.
    func enrollDevice(_ request: Request, context: APIRequestContext) async throws -> Response {
        let client = context.client(of: request)
        if case (let wait, let global)? = await enrollmentThrottle.wait(for: client) {
            metrics.countEnrollmentRefusal(Problem.Kind.enrollmentThrottled.name)
            let seconds = max(1, Int(wait.components.seconds) + 1)
            let limits = configuration.enrollmentAttempts
            throw Problem.enrollmentThrottled(
                retryAfterSeconds: seconds,
                global
                    ? "\(limits.total) wrong enrollment codes were sent to this server within \(limits.windowSeconds) s; "
                        + "try again in \(seconds) s"
                    : "\(limits.perAddress) wrong enrollment codes came from \(client) within \(limits.windowSeconds) s; "
                        + "try again in \(seconds) s")
        }
        var members = RequestMembers(try await request.jsonObject(limit: configuration.maximumSmallBodyBytes))
        let codeAllowed = "the enrollment code an admin gave, such as K7QF-2M9X-4RTA-8HCV"
        let keyAllowed = "base64url without padding of the device's 32-byte Ed25519 public key"
        let codeText = members.string("code", required: true, allowed: codeAllowed)
        let keyText = members.string("publicKey", required: false, allowed: keyAllowed)
        let name = members.string("name", required: false, allowed: "the name the code was made for")
        let code = codeText.flatMap { EnrollmentCode(typed: $0) }
        if codeText != nil && code == nil {
            members.fail("code", .invalidFormat, "not an enrollment code", allowed: codeAllowed)
        }
        let key = keyText.flatMap { PublicKey(base64URL: $0) }
        if keyText != nil && key == nil {
            members.fail("publicKey", .invalidFormat, "not a base64url Ed25519 public key", allowed: keyAllowed)
        }
        try members.finish()

        let enrolled: Enrolled
        do {
            enrolled = try await enroll(code: code!, publicKey: key, name: name, client: client)
        } catch let problem as Problem where problem.kind.type.refusesEnrollmentCode {
            await enrollmentThrottle.recordFailure(of: client)
            metrics.countEnrollmentRefusal(problem.kind.name)
            await failures.record(
                "enrollment code refused", client: client, metadata: ["problem": "\(problem.kind.name)"])
            throw problem
        }
        let snapshot = await reference.snapshot
        var server: [String: JSONValue] = ["publicKey": .string(publicKey.base64URL)]
        if let position = snapshot.identityPosition { server["identityPosition"] = .integer(position) }
        if let name = snapshot.data.server?.name { server["name"] = .string(name) }
        return JSONResponse.make(
            [
                "device": .string(enrolled.caller.device.rawValue), "role": .string(enrolled.caller.role.rawValue),
                "name": .string(enrolled.caller.name), "token": .string(enrolled.token),
                "tokenExpires": enrolled.tokenExpires.map { .string($0.rfc3339UTC) } ?? .null,
                "position": .integer(enrolled.position), "server": .object(server),
            ], status: .created)
    }

    /// `POST /v1/enrollment-codes` {role, name, expiresInSeconds?, tokenExpiresInSeconds?, stations?,
    /// constituencies?} (admin) → 201 {code, role, name, expires, tokenExpiresInSeconds, serverKeyFingerprint,
    /// stations, constituencies}. A reporter's code names the stations or seats the device will be assigned to.
    func issueCode(_ request: Request, caller: Caller) async throws -> Response {
        var members = RequestMembers(try await request.jsonObject(limit: configuration.maximumSmallBodyBytes))
        let roles = DeviceRole.allCases.map(\.rawValue).joined(separator: ", ")
        let roleText = members.string("role", required: true, allowed: roles)
        let name = members.string("name", required: true, allowed: "the name of the person the device is for")
        let longest = EnrollmentCodes.maximumLifetimeSeconds
        let lifetimeAllowed = "a number of seconds from 1 to \(longest), a year (default 86400, a day)"
        let lifetime = members.integer("expiresInSeconds", required: false, allowed: lifetimeAllowed)
        let tokenAllowed = "a number of seconds from 1 to \(longest), a year (default: the server's for the device)"
        let tokenLifetime = members.integer("tokenExpiresInSeconds", required: false, allowed: tokenAllowed)
        let assignment = members.assignment(required: false)
        let role = roleText.flatMap { DeviceRole(rawValue: $0) }
        if let roleText, role == nil {
            members.fail("role", .notAllowed, "\"\(roleText)\" is not a role", allowed: roles)
        }
        if let lifetime, lifetime < 1 || lifetime > longest {
            members.fail("expiresInSeconds", .outOfRange, "\(lifetime) is not a lifetime", allowed: lifetimeAllowed)
        }
        if let tokenLifetime, tokenLifetime < 1 || tokenLifetime > longest {
            members.fail(
                "tokenExpiresInSeconds", .outOfRange, "\(tokenLifetime) is not a lifetime", allowed: tokenAllowed)
        }
        try members.finish()
        let issuer = "device \(caller.device) (\(caller.name))"
        let issued = try await issueCode(
            role: role!, name: name!, validForSeconds: lifetime ?? 86_400, assignment: assignment,
            tokenLifetimeSeconds: tokenLifetime, by: issuer)
        logger.notice(
            "enrollment code made",
            metadata: [
                "role": "\(issued.role.rawValue)", "name": "\(issued.name)", "by": "\(issuer)",
                "expires": "\(issued.expires.rfc3339UTC)",
            ])
        return JSONResponse.make(
            [
                "code": .string(issued.code.description), "role": .string(issued.role.rawValue),
                "name": .string(issued.name), "expires": .string(issued.expires.rfc3339UTC),
                "tokenExpiresInSeconds": issued.tokenLifetimeSeconds.map { .integer($0) } ?? .null,
                "serverKeyFingerprint": .string(publicKey.fingerprint.hex),
                "stations": .array(issued.assignment.stations.map { .string($0.rawValue) }),
                "constituencies": .array(issued.assignment.constituencies.map { .string($0.rawValue) }),
            ], status: .created)
    }

    /// `POST /v1/devices/{device}/revocation` {reason} (admin) → 200 {device, position}.
    func revokeDevice(_ request: Request, device text: String, caller: Caller) async throws -> Response {
        let device = try Self.deviceID(text)
        var members = RequestMembers(try await request.jsonObject(limit: configuration.maximumSmallBodyBytes))
        let reason = members.string("reason", required: true, allowed: "why the device is revoked, for the record")
        try members.finish()
        let position = try await revoke(device, reason: reason!, by: "device \(caller.device) (\(caller.name))")
        return JSONResponse.make(["device": .string(device.rawValue), "position": .integer(position)])
    }

    /// A device id from a path, or `invalid-request`.
    static func deviceID(_ text: String) throws -> DeviceID {
        guard let device = DeviceID(text), !device.isServer else {
            throw Problem.invalidRequest(
                field: "device", code: .invalidFormat, problem: "\"\(text)\" is not a device id",
                allowed: "20 lowercase hex digits")
        }
        return device
    }
}
