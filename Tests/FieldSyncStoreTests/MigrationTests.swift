import FieldSyncStore
import FieldSyncTestSupport
import Testing

@Suite struct MigrationTests {
    @Test func migrationsApplyOnceInOrder() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.shared.makeDatabase())
        let first = try await Migrator().migrate(pool)
        #expect(first == Migration.all)
        #expect(try await Migrator().migrate(pool).isEmpty)
        let recorded = try await pool.withConnection { connection in
            try await connection.query("SELECT version, checksum FROM schema_migrations ORDER BY version").map {
                (try $0.decode(Int.self, column: 0), try $0.decode(String.self, column: 1))
            }
        }
        #expect(recorded.map(\.0) == Migration.all.map(\.version))
        #expect(recorded.map(\.1) == Migration.all.map(\.checksum))
    }

    @Test func anEditedAppliedMigrationIsAnError() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        var edited = Migration.all
        edited[0].sql += "\n-- an afterthought\n"
        let error = await #expect(throws: MigrationError.self) { try await Migrator(migrations: edited).migrate(pool) }
        #expect(error?.description.contains("was edited after it was applied") == true)
    }

    @Test func aDatabaseFromANewerProgramIsAnError() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.shared.makeDatabase())
        let future = Migration(version: Migration.all.count + 1, name: "9999_future.sql", sql: "SELECT 1")
        try await Migrator(migrations: Migration.all + [future]).migrate(pool)
        let error = await #expect(throws: MigrationError.self) { try await Migrator().migrate(pool) }
        #expect(error?.description.contains("newer fieldsync") == true)
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.shared.makeDatabase())
        let broken = [
            Migration(version: 1, name: "0001_broken.sql", sql: "CREATE TABLE half (x int); SELECT nonsense;")
        ]
        await #expect(throws: PostgresError.self) { try await Migrator(migrations: broken).migrate(pool) }
        let tables = try await pool.withConnection { connection in
            try await connection.query("SELECT count(*) FROM pg_tables WHERE tablename IN ('half')")
                .first!.decode(Int.self, column: 0)
        }
        #expect(tables == 0)
    }

    @Test func migrationsAreNumberedWithoutGaps() {
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
    }
}
