import FieldSyncModel
import FieldSyncStore
import Logging

extension FieldSyncServer {
    /// A device just enrolled: its id and role, the name of the person using it, its bearer token
    /// (shown once, stored only hashed), when the token expires (nil: never) and where its enrollment
    /// event is.
    public struct Enrolled: Sendable {
        public var caller: Caller
        public var token: String
        public var tokenExpires: Timestamp?
        public var position: Int64
    }

    /// Enrolls a device with a one-time code: appends a server-signed `fieldsync.device.enrolled.v1`
    /// and, in the same transaction, marks the code used and stores the hash of a new bearer token.
    ///
    /// The device is enrolled under the name on the code: `name`, when given, must be that name. Its
    /// token lives as long as the code says; without a lifetime on the code, an editor's device that
    /// comes without a key (a browser signing in to the dashboard) gets
    /// ``ServerConfiguration/browserSignInSeconds``, and any other device's token does not expire.
    ///
    /// A reporter's device brings its public key. A read-only device (editor, auditor, admin) may come
    /// without one: the server then enrolls it under a key it makes and throws away at once, so that the
    /// device has an id like any other while nobody can ever sign as it.
    ///
    /// Throws a ``Problem``: `enrollment-code-unknown`, `-expired` or `-used`, `key-already-enrolled`,
    /// `invalid-request` (a reporter without a key, a name other than the code's).
    public func enroll(
        code: EnrollmentCode, publicKey: PublicKey?, name: String?, client: String = "this process"
    ) async throws -> Enrolled {
        let usable = try await usableCode(code)
        if let name, name != usable.name {
            throw Problem.invalidRequest(
                field: "name", code: .notAllowed,
                problem: "the code was made for \"\(usable.name)\"; a device enrolls under the name on its code",
                allowed: "the name the code was made for, or no name (an admin makes a new code for another name)")
        }
        let role = usable.role
        let key: PublicKey
        if let publicKey {
            key = publicKey
        } else if role == .reporter {
            throw Problem.invalidRequest(
                field: "publicKey", code: .missingMember, problem: "a reporter's device must send its public key",
                allowed: "base64url without padding of the device's 32-byte Ed25519 public key")
        } else {
            key = SigningKey.generate().publicKey
        }
        let device = key.deviceID
        if try await reference.refresh().data.devices[device] != nil {
            throw Problem(.keyAlreadyEnrolled, "the key of device \(device) is already enrolled; make a new key")
        }

        let caller = Caller(device: device, role: role, name: usable.name)
        let lifetime =
            usable.tokenLifetimeSeconds
            ?? (role == .editor && publicKey == nil ? configuration.browserSignInSeconds : nil)
        let token = BearerToken.make()
        let tokenHash = token.hash
        let time = await now()
        var drafts = [
            EventDraft(
                payload: .deviceEnrolled(DeviceEnrollment(publicKey: key, reporter: caller.name, role: role)),
                time: time)
        ]
        if let assignment = try await CodeAssignment.of(code, in: pool).payload(for: device) {
            drafts.append(EventDraft(payload: assignment, time: time))
        }
        do {
            let (appended, expires) = try await author.append(drafts) { connection, appended in
                guard try await EnrollmentCodes.markUsed(code, by: device, on: connection) else { throw CodeTaken() }
                return try await CredentialStore.insert(
                    caller, tokenHash: tokenHash, lifetime: lifetime, enrolledAt: appended.positions[0],
                    on: connection)
            }
            try await reference.refresh()
            logger.notice(
                "device enrolled",
                metadata: [
                    "device": "\(device)", "role": "\(role.rawValue)", "name": "\(caller.name)",
                    "position": "\(appended.positions[0])", "codeMadeBy": "\(usable.issuedBy)", "client": "\(client)",
                    "tokenExpires": "\(expires?.rfc3339UTC ?? "never")",
                ])
            return Enrolled(caller: caller, token: token.text, tokenExpires: expires, position: appended.positions[0])
        } catch is CodeTaken {
            // Used or expired by the time the enrollment was to commit: say which.
            _ = try await usableCode(code)
            throw Problem(.enrollmentCodeUsed, "the enrollment code was used by another device at the same moment")
        } catch let error as PostgresError where error.isUniqueViolation {
            throw Problem(.keyAlreadyEnrolled, "the key of device \(device) was enrolled at the same moment")
        }
    }

    /// What a code that can be used now enrolls, or the problem with it.
    private func usableCode(_ code: EnrollmentCode) async throws -> EnrollmentCodes.Usable {
        switch try await codes.state(of: code) {
        case .unknown:
            throw Problem(
                .enrollmentCodeUnknown, "no enrollment code like this one was made: check it for typing mistakes")
        case .expired(let at):
            throw Problem(
                .enrollmentCodeExpired, "the enrollment code expired at \(at.rfc3339UTC): ask an admin for a new one")
        case .used(let at, _):
            throw Problem(
                .enrollmentCodeUsed, "the enrollment code was already used at \(at.rfc3339UTC); a code works once")
        case .usable(let usable):
            return usable
        }
    }

    /// Revokes a device: appends a server-signed `fieldsync.device.revoked.v1` and disables its
    /// credentials in the same transaction. Its earlier events stay valid; from now on it is refused.
    /// Returns the revocation's position.
    ///
    /// `by` says who revoked it, for the log: an admin device, or the user of `fieldsync admin revoke`.
    ///
    /// Throws a ``Problem``: `device-not-enrolled`, `already-revoked`, `invalid-request` for a reason the
    /// event cannot carry.
    @discardableResult
    public func revoke(
        _ device: DeviceID, reason: String, by revoker: String = "this server's process"
    ) async throws -> Int64 {
        let revocation = DeviceRevocation(device: device, reason: reason)
        var errors = [FieldError]()
        _ = Payload.decode(type: .deviceRevoked, data: revocation.jsonValue, errors: &errors)
        if let first = errors.first {
            throw Problem(
                .invalidRequest, "reason: \(first.problem)",
                errors: errors.map { error in
                    var error = error
                    error.field = "reason"
                    return error
                })
        }
        guard let enrolled = try await reference.refresh().data.devices[device] else {
            throw Problem(.deviceNotEnrolled, "device \(device) is not enrolled")
        }
        if let reason = enrolled.revocationReason {
            throw Problem(.alreadyRevoked, "device \(device) is already revoked: \(reason)")
        }
        let (appended, _) = try await author.append([EventDraft(payload: .deviceRevoked(revocation), time: await now())]
        ) {
            connection, appended in
            try await CredentialStore.revoke(device, at: appended.positions[0], on: connection)
        }
        try await reference.refresh()
        logger.notice(
            "device revoked",
            metadata: [
                "device": "\(device)", "position": "\(appended.positions[0])", "by": "\(revoker)",
                "reason": "\(reason)",
            ])
        return appended.positions[0]
    }
}

/// Thrown inside an enrollment whose code was used or expired before it could commit.
private struct CodeTaken: Error {}
