import FieldSyncModel
import FieldSyncStore

/// The `device_credentials` table: the hashed bearer token of each enrolled device, when it expires,
/// and whether the device was revoked. Times come from the database's clock.
public struct CredentialStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// What a token stands for.
    enum Lookup: Sendable, Equatable {
        case device(Caller)
        case revoked(DeviceID)
        case expired(DeviceID, at: Timestamp)
        case unknown
    }

    /// The device whose token has `hash`. The lookup uses the hash's first 8 bytes; the whole hash is
    /// compared in constant time.
    func lookUp(tokenHash hash: SHA256Digest) async throws -> Lookup {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT token_hash, device_id, role, name, revoked_at IS NOT NULL, expires_at, expires_at <= now()
                FROM device_credentials WHERE token_prefix = \(ByteA(BearerToken.lookupKey(of: hash)))
                """)
        }
        guard let row = rows.first else { return .unknown }
        let stored = try row.decode(ByteA.self, column: 0).bytes
        guard ConstantTime.equal(stored, hash.bytes),
            let device = DeviceID(try row.decode(String.self, column: 1)),
            let role = DeviceRole(rawValue: try row.decode(String.self, column: 2))
        else { return .unknown }
        if try row.decode(Bool.self, column: 4) { return .revoked(device) }
        if let expires = try row.decode(Timestamp?.self, column: 5), try row.decode(Bool?.self, column: 6) == true {
            return .expired(device, at: expires)
        }
        return .device(Caller(device: device, role: role, name: try row.decode(String.self, column: 3)))
    }

    /// Of `devices`, those whose credentials ended: revoked, or whose token has expired now. One query.
    /// Devices with no credentials here are not in the answer.
    public func endedDevices(among devices: [DeviceID]) async throws -> Set<DeviceID> {
        guard !devices.isEmpty else { return [] }
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT device_id FROM device_credentials
                WHERE device_id = ANY(\(devices.map(\.rawValue))::text[])
                AND (revoked_at IS NOT NULL OR expires_at <= now())
                """)
        }
        return Set(try rows.compactMap { DeviceID(try $0.decode(String.self, column: 0)) })
    }

    /// Replaces the token of `device` whose hash is `current` with one whose hash is `new`, in one
    /// statement (the migration's `rotate_device_token`, which runs as the tables' owner: the server's
    /// role cannot write token hashes itself): from its commit the old token is unknown. The new token
    /// lives as long as the device's tokens do (from now). Returns when it expires (nil: never), or throws
    /// `unauthorized` when the current token was replaced, revoked or expired in the meantime.
    func rotate(_ device: DeviceID, from current: SHA256Digest, to new: SHA256Digest) async throws -> Timestamp? {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT token_expires FROM rotate_device_token(\(device.rawValue), \(ByteA(current.bytes)),
                    \(ByteA(BearerToken.lookupKey(of: new))), \(ByteA(new.bytes)))
                """)
        }
        guard let row = rows.first else {
            throw Problem.unauthorized("the token of device \(device) was replaced, revoked or expired meanwhile")
        }
        return try row.decode(Timestamp?.self, column: 0)
    }

    /// Stores a new device's token hash, on the connection of the transaction that enrolls it. The token
    /// lives `lifetime` seconds from now, or for ever when nil. Returns when it expires.
    static func insert(
        _ caller: Caller, tokenHash hash: SHA256Digest, lifetime: Int64?, enrolledAt position: Int64,
        on connection: PostgresConnection
    ) async throws -> Timestamp? {
        try await connection.query(
            """
            INSERT INTO device_credentials (device_id, token_prefix, token_hash, role, name, enrolled_position,
                created_at, token_lifetime_seconds, expires_at)
            VALUES (\(caller.device.rawValue), \(ByteA(BearerToken.lookupKey(of: hash))), \(ByteA(hash.bytes)),
                \(caller.role.rawValue), \(caller.name), \(position), now(), \(lifetime),
                now() + make_interval(secs => \(lifetime)))
            RETURNING expires_at
            """
        ).first!.decode(Timestamp?.self, column: 0)
    }

    /// Disables a device's token, on the connection of the transaction that revokes it.
    static func revoke(_ device: DeviceID, at position: Int64, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE device_credentials SET revoked_at = now(), revoked_position = \(position)
            WHERE device_id = \(device.rawValue) AND revoked_at IS NULL
            """)
    }
}
