import FieldSyncTestSupport
import Foundation
import Testing

@testable import FieldSyncStore

@Suite struct EmbeddedPostgresTests {
    @Test func restartingOnAnExistingFolderKeepsTheData() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-restart")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let options = EmbeddedPostgres.Options(dataDirectory: folder)

        let first = EmbeddedPostgres(options: options)
        let pool = PostgresPool(configuration: try await first.start())
        try await Migrator().migrate(pool)
        var device = RecordFactory()
        let appended = try await EventStore(pool: pool).append([device.next(), device.next()])
        await pool.close()
        await first.stop()

        let second = EmbeddedPostgres(options: options)
        let again = PostgresPool(configuration: try await second.start())
        #expect(try await Migrator().migrate(again).isEmpty)
        #expect(try await EventStore(pool: again).head() == appended.head)
        await again.close()
        await second.stop()
    }

    @Test func aFolderInUseIsRefused() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-inuse")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let options = EmbeddedPostgres.Options(dataDirectory: folder)
        let first = EmbeddedPostgres(options: options)
        _ = try await first.start()
        let error = await #expect(throws: EmbeddedPostgresError.self) {
            try await EmbeddedPostgres(options: options).start()
        }
        #expect(error?.description.contains("in use by another fieldsync process") == true)
        await first.stop()
    }

    @Test func aServerLeftBehindByAKilledProcessIsStoppedAndReplaced() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-orphan")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let options = EmbeddedPostgres.Options(dataDirectory: folder)
        let first = EmbeddedPostgres(options: options)
        _ = try await first.start()
        let orphanPID = try #require(await first.serverProcessID)
        // Forget the first launcher without stopping its server, as a killed process would.
        await first.abandon()

        let second = EmbeddedPostgres(options: options)
        let restarted = try await second.start()
        #expect(await second.serverProcessID != orphanPID)
        #expect(kill(orphanPID, 0) != 0)
        let connection = try await PostgresConnection.connect(restarted)
        #expect(try await connection.query("SELECT 1").count == 1)
        await connection.close()
        await second.stop()
    }

    @Test func missingServerProgramsSayWhatToInstall() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-nobinaries")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = EmbeddedPostgres.Options(dataDirectory: folder)
        options.binarySearchPaths = [folder + "/no-such-bin"]
        let error = await #expect(throws: EmbeddedPostgresError.self) {
            try await EmbeddedPostgres(options: options).start()
        }
        let message = try #require(error?.description)
        #expect(message.contains("apt-get install postgresql"))
        #expect(!message.contains("\n"))
    }
}
