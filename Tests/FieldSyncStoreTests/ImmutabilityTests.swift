import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

@Suite struct ImmutabilityTests {
    @Test(arguments: [
        "UPDATE events SET type = 'changed'",
        "DELETE FROM events",
        "TRUNCATE events",
        "UPDATE events SET payload = '{}'::jsonb WHERE position = 1",
    ])
    func theDatabaseRefusesToChangeEvents(statement: String) async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        let store = EventStore(pool: pool)
        var device = RecordFactory()
        _ = try await store.append([device.next(), device.next()])

        // The superuser is refused, and so is an ordinary role with every privilege on the table.
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.execute(SQL(unsafeSQL: statement)) }
        }
        #expect(error?.sqlState == "FS001")
        #expect(error?.message.contains("append-only") == true)

        // Everything below runs in a transaction that is rolled back, so the role leaves no trace.
        try await pool.withConnection { connection in
            try await connection.execute("BEGIN")
            try await connection.execute("CREATE ROLE field_writer")
            try await connection.execute("GRANT ALL ON events TO field_writer")
            try await connection.execute("SET LOCAL ROLE field_writer")
            let refused = await #expect(throws: PostgresError.self) {
                try await connection.execute(SQL(unsafeSQL: statement))
            }
            #expect(refused?.sqlState == "FS001")
            try await connection.execute("ROLLBACK")
        }
        #expect(try await store.events(after: 0).count == 2)
    }

    @Test func replicationRoleDoesNotBypassTheGuard() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        var device = RecordFactory()
        _ = try await EventStore(pool: pool).append([device.next()])
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.execute("SET LOCAL session_replication_role = replica")
                try await connection.execute("DELETE FROM events")
            }
        }
        #expect(try await EventStore(pool: pool).events(after: 0).count == 1)
    }
}

/// Photos are stored once and never replaced: refused to the superuser as to the server's role, and a
/// photo whose bytes do not hash to its name cannot be stored at all.
@Suite struct PhotoImmutabilityTests {
    static let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]

    static func insert(_ bytes: [UInt8], as name: SHA256Digest) -> SQL {
        """
        INSERT INTO photos (sha256, media_type, size, bytes, stored_at)
        VALUES (\(name), 'image/jpeg', \(bytes.count), \(ByteA(bytes)), now())
        """
    }

    @Test(arguments: ["UPDATE photos SET stored_at = now()", "DELETE FROM photos", "TRUNCATE photos"])
    func theDatabaseRefusesToChangePhotos(statement: String) async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        _ = try await pool.withConnection { try await $0.execute(Self.insert(Self.photo, as: .hash(Self.photo))) }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.execute(SQL(unsafeSQL: statement)) }
        }
        #expect(error?.sqlState == "FS001")
        let refused = await #expect(throws: PostgresError.self) {
            try await TestCluster.shared.withConnection(as: .server, on: pool) {
                try await $0.execute(SQL(unsafeSQL: statement))
            }
        }
        #expect(refused?.sqlState == "42501")
        #expect(try await PhotoStore(pool: pool).stored(among: [.hash(Self.photo)]) == [.hash(Self.photo)])
    }

    @Test func aPhotoWhoseBytesAreNotItsNameCannotBeStored() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.execute(Self.insert(Self.photo, as: .hash([1, 2, 3]))) }
        }
        #expect(error?.sqlState == "23514")
    }
}
