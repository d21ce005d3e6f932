import FieldSyncModel
import FieldSyncStore

/// The `enrollment_codes` table: one-time codes, stored hashed with the role and name of the device
/// they enroll and when they expire. Times come from the database's clock.
public struct EnrollmentCodes: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A code just made, to hand to the person whose device it enrolls.
    public struct Issued: Sendable {
        public var code: EnrollmentCode
        public var role: DeviceRole
        public var name: String
        public var expires: Timestamp
        public var assignment: CodeAssignment
    }

    /// What a code is worth now.
    enum State: Sendable, Equatable {
        case unknown
        case expired(at: Timestamp)
        case used(at: Timestamp, by: String)
        case usable(role: DeviceRole, name: String)
    }

    /// The longest a code may stay usable: a year. Longer lifetimes are refused, as the database's
    /// clock arithmetic would overflow long before any sensible one.
    public static let maximumLifetimeSeconds: Int64 = 366 * 86_400

    /// Makes and stores a new code for a device of `role` used by `name`, valid for `seconds`.
    /// Throws a ``Problem`` (`invalid-request`) when the name is not one the enrollment event can carry,
    /// or the lifetime is not from 1 s to ``maximumLifetimeSeconds``.
    ///
    /// A reporter's code names what its device will cover (``CodeAssignment``); other roles' codes name nothing.
    public func issue(
        role: DeviceRole, name: String, validForSeconds seconds: Int64, assignment: CodeAssignment = CodeAssignment()
    ) async throws -> Issued {
        if let problem = EnrollmentName.problem(name, field: "name") { throw problem }
        if let problem = assignment.problem(for: role) { throw problem }
        guard seconds > 0, seconds <= Self.maximumLifetimeSeconds else {
            throw Problem.invalidRequest(
                field: "expires", code: .outOfRange, problem: "\(seconds) s is not a lifetime from 1 s to a year",
                allowed: "a positive duration of at most a year (366d), such as 30m, 24h or 7d")
        }
        let code = EnrollmentCode.make()
        let expires = try await pool.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO enrollment_codes (code_hash, role, name, created_at, expires_at, stations, constituencies)
                VALUES (\(code.hash), \(role.rawValue), \(name), now(), now() + make_interval(secs => \(seconds)),
                    \(assignment.stations.map(\.rawValue))::text[], \(assignment.constituencies.map(\.rawValue))::text[])
                RETURNING expires_at
                """
            ).first!.decode(Timestamp.self, column: 0)
        }
        return Issued(code: code, role: role, name: name, expires: expires, assignment: assignment)
    }

    func state(of code: EnrollmentCode) async throws -> State {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT role, name, expires_at, expires_at <= now(), used_at, used_by FROM enrollment_codes
                WHERE code_hash = \(code.hash)
                """)
        }
        guard let row = rows.first else { return .unknown }
        if let usedAt = try row.decode(Timestamp?.self, column: 4) {
            return .used(at: usedAt, by: try row.decode(String?.self, column: 5) ?? "")
        }
        if try row.decode(Bool.self, column: 3) { return .expired(at: try row.decode(column: 2)) }
        guard let role = DeviceRole(rawValue: try row.decode(String.self, column: 0)) else { return .unknown }
        return .usable(role: role, name: try row.decode(column: 1))
    }

    /// Marks a code used by `device`, on the connection of the transaction that enrolls it; false when the
    /// code was used or expired in the meantime.
    static func markUsed(
        _ code: EnrollmentCode, by device: DeviceID, on connection: PostgresConnection
    ) async throws
        -> Bool
    {
        try await connection.execute(
            """
            UPDATE enrollment_codes SET used_at = now(), used_by = \(device.rawValue)
            WHERE code_hash = \(code.hash) AND used_at IS NULL AND expires_at > now()
            """) == 1
    }
}

/// The rule for the name of the person using a device: the one the enrollment event's `reporter` has.
enum EnrollmentName {
    /// A key used only to ask the model whether a name fits an enrollment event.
    private static let probeKey = SigningKey.generate().publicKey

    /// The problem with `name` as the request's `field`, or nil when it fits.
    static func problem(_ name: String, field: String) -> Problem? {
        let data: JSONValue = [
            "device": .string(probeKey.deviceID.rawValue), "publicKey": .string(probeKey.base64URL),
            "reporter": .string(name), "role": "reporter",
        ]
        var errors = [FieldError]()
        _ = Payload.decode(type: .deviceEnrolled, data: data, errors: &errors)
        let nameErrors = errors.map { error in
            var error = error
            error.field = field
            return error
        }
        guard let first = nameErrors.first else { return nil }
        return Problem(.invalidRequest, "\(field): \(first.problem)", errors: nameErrors)
    }
}
