import FieldSyncModel
import FieldSyncStore

/// The `device_credentials` table: the hashed bearer token of each enrolled device, and whether the
/// device was revoked.
struct CredentialStore: Sendable {
    let pool: PostgresPool

    /// What a token stands for.
    enum Lookup: Sendable, Equatable {
        case device(Caller)
        case revoked(DeviceID)
        case unknown
    }

    /// The device whose token has `hash`. The lookup uses the hash's first 8 bytes; the whole hash is
    /// compared in constant time.
    func lookUp(tokenHash hash: SHA256Digest) async throws -> Lookup {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT token_hash, device_id, role, name, revoked_at IS NOT NULL FROM device_credentials
                WHERE token_prefix = \(ByteA(BearerToken.lookupKey(of: hash)))
                """)
        }
        guard let row = rows.first else { return .unknown }
        let stored = try row.decode(ByteA.self, column: 0).bytes
        guard ConstantTime.equal(stored, hash.bytes),
            let device = DeviceID(try row.decode(String.self, column: 1)),
            let role = DeviceRole(rawValue: try row.decode(String.self, column: 2))
        else { return .unknown }
        if try row.decode(Bool.self, column: 4) { return .revoked(device) }
        return .device(Caller(device: device, role: role, name: try row.decode(String.self, column: 3)))
    }

    /// Those of `devices` whose credentials no longer work (revoked), in one query: the live streams
    /// of these devices are closed.
    func endedDevices(among devices: Set<DeviceID>) async throws -> Set<DeviceID> {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT device_id FROM device_credentials
                WHERE device_id = ANY(\(devices.map(\.rawValue))::text[]) AND revoked_at IS NOT NULL
                """)
        }
        return Set(try rows.compactMap { DeviceID(try $0.decode(String.self, column: 0)) })
    }

    /// Stores a new device's token hash, on the connection of the transaction that enrolls it.
    static func insert(
        _ caller: Caller, tokenHash hash: SHA256Digest, enrolledAt position: Int64, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO device_credentials (device_id, token_prefix, token_hash, role, name, enrolled_position, created_at)
            VALUES (\(caller.device.rawValue), \(ByteA(BearerToken.lookupKey(of: hash))), \(ByteA(hash.bytes)),
                \(caller.role.rawValue), \(caller.name), \(position), now())
            """)
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
