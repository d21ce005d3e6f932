import FieldSyncModel
import FieldSyncStore

/// The `enrollment_codes` table: one-time codes, stored hashed with the role and name of the device
/// they enroll, how long that device's token will live, who made them and when they expire. Times come
/// from the database's clock. Every code is bound to the server's key (see ``EnrollmentCode``).
public struct EnrollmentCodes: Sendable {
    public let pool: PostgresPool
    /// The key of the server whose log the database holds: the codes' check groups are bound to it.
    public let serverKey: PublicKey

    public init(pool: PostgresPool, serverKey: PublicKey) {
        self.pool = pool
        self.serverKey = serverKey
    }

    /// The codes of the server whose log `events` holds, bound to the key of the log's identity event.
    /// Throws when the log has no identity yet: no server has started on it.
    public static func ofLog(in events: EventStore) async throws -> EnrollmentCodes {
        let identities = try await events.events(types: [EventType.serverIdentified.rawValue], after: 0, limit: 1)
        guard let identity = try identities.first?.storedEvent().event,
            case .serverIdentified(let server) = identity.payload
        else {
            throw ServerChainError(
                "the log has no server identity yet: start `fieldsync serve` on this database once, then make codes")
        }
        return EnrollmentCodes(pool: events.pool, serverKey: server.publicKey)
    }

    /// A code just made, to hand to the person whose device it enrolls.
    public struct Issued: Sendable {
        public var code: EnrollmentCode
        public var role: DeviceRole
        public var name: String
        public var expires: Timestamp
        /// How long the enrolled device's token will live, in seconds; nil for the server's default.
        public var tokenLifetimeSeconds: Int64?
        public var assignment: CodeAssignment
    }

    /// What a code is worth now.
    enum State: Sendable, Equatable {
        case unknown
        case expired(at: Timestamp)
        case used(at: Timestamp, by: String)
        case usable(Usable)
    }

    /// What a usable code enrolls.
    struct Usable: Sendable, Equatable {
        var role: DeviceRole
        var name: String
        var tokenLifetimeSeconds: Int64?
        var issuedBy: String
    }

    /// The longest a code, or a token, may live: a year. Longer lifetimes are refused, as the database's
    /// clock arithmetic would overflow long before any sensible one.
    public static let maximumLifetimeSeconds: Int64 = 366 * 86_400

    /// Makes and stores a new code for a device of `role` used by `name`, valid for `seconds`, whose token
    /// will live `tokenLifetimeSeconds` (nil: the server's default). `issuer` says who made it, for the log.
    /// Throws a ``Problem`` (`invalid-request`) when the name is not one the enrollment event can carry,
    /// or a lifetime is not from 1 s to ``maximumLifetimeSeconds``.
    ///
    /// A reporter's code names what its device will cover (``CodeAssignment``); other roles' codes name nothing.
    public func issue(
        role: DeviceRole, name: String, validForSeconds seconds: Int64, assignment: CodeAssignment = CodeAssignment(),
        tokenLifetimeSeconds: Int64? = nil, by issuer: String = "this server's process"
    ) async throws -> Issued {
        if let problem = EnrollmentName.problem(name, field: "name") { throw problem }
        if let problem = assignment.problem(for: role) { throw problem }
        for (field, lifetime) in [("expires", seconds), ("tokenExpires", tokenLifetimeSeconds ?? 1)]
        where lifetime <= 0 || lifetime > Self.maximumLifetimeSeconds {
            throw Problem.invalidRequest(
                field: field, code: .outOfRange, problem: "\(lifetime) s is not a lifetime from 1 s to a year",
                allowed: "a positive duration of at most a year (366d), such as 30m, 24h or 7d")
        }
        let code = EnrollmentCode.make(boundTo: serverKey)
        let expires = try await pool.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO enrollment_codes (code_hash, role, name, created_at, expires_at, stations, constituencies,
                    token_lifetime_seconds, issued_by)
                VALUES (\(code.hash), \(role.rawValue), \(name), now(), now() + make_interval(secs => \(seconds)),
                    \(assignment.stations.map(\.rawValue))::text[], \(assignment.constituencies.map(\.rawValue))::text[],
                    \(tokenLifetimeSeconds), \(issuer))
                RETURNING expires_at
                """
            ).first!.decode(Timestamp.self, column: 0)
        }
        return Issued(
            code: code, role: role, name: name, expires: expires, tokenLifetimeSeconds: tokenLifetimeSeconds,
            assignment: assignment)
    }

    func state(of code: EnrollmentCode) async throws -> State {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT role, name, expires_at, expires_at <= now(), used_at, used_by, token_lifetime_seconds, issued_by
                FROM enrollment_codes WHERE code_hash = \(code.hash)
                """)
        }
        guard let row = rows.first else { return .unknown }
        if let usedAt = try row.decode(Timestamp?.self, column: 4) {
            return .used(at: usedAt, by: try row.decode(String?.self, column: 5) ?? "")
        }
        if try row.decode(Bool.self, column: 3) { return .expired(at: try row.decode(column: 2)) }
        guard let role = DeviceRole(rawValue: try row.decode(String.self, column: 0)) else { return .unknown }
        return .usable(
            Usable(
                role: role, name: try row.decode(column: 1),
                tokenLifetimeSeconds: try row.decode(Int64?.self, column: 6),
                issuedBy: try row.decode(column: 7)))
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
