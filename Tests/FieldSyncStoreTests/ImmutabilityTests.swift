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
