import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// Hundreds of faults through a polling day (``FaultCampaign``): nothing lost, nothing stored twice,
/// chains intact, tallies equal to an independent fold, every photo an event names stored once and
/// intact, after every one. Its own suite, so it runs
/// beside the other end-to-end tests rather than after them.
///
/// `FIELDSYNC_FAULTS` (default 200, in the proportions of ``FaultKind/schedule``) and `FIELDSYNC_FAULT_SEED` size and vary it; with
/// `FIELDSYNC_FAULT_REPORT` set, the summary is also written to that file.
@Suite(
    .tags(.faultCampaign), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast), .timeLimit(.minutes(30)))
struct FaultCampaignTests {
    @Test func nothingIsLostOrStoredTwiceThroughHundredsOfFaults() async throws {
        let options = FaultCampaign.Options.fromEnvironment()
        var campaign = try await FaultCampaign.prepare(options)
        let summary: CampaignSummary
        do {
            summary = try await campaign.run()
        } catch {
            print(campaign.summary)
            await campaign.stop()
            throw error
        }
        await campaign.stop()
        print(summary)
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_FAULT_REPORT"] {
            try (summary.description + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures.prefix(5))")
        #expect(summary.totalInjected >= options.faults)
        #expect(summary.lost == 0)
        #expect(summary.duplicated == 0)
        #expect(summary.unexpected == 0)
        #expect(summary.photos > 0 && summary.photosFetched == summary.photos, "\(summary.photos) photos")
        #expect(summary.photosPendingAtEnd == 0)
        for kind in FaultKind.allCases {
            #expect(summary.injected[kind, default: 0] > 0, "no \(kind.rawValue) landed")
        }
    }

    /// The photos' check can fail: with one stored photo removed from the database (its triggers switched
    /// off, as only the cluster's superuser can), a piece of an upload put back beside another stored
    /// photo, and a photo stored that no event names, it reports each of them.
    @Test func thePhotoCheckSeesAPhotoGoneAPieceLeftAndAPhotoNoEventNames() async throws {
        var options = FaultCampaign.Options()
        options.reporters = 2
        var campaign = try await FaultCampaign.prepare(options)
        do {
            try await campaign.turn(.photoBundled, reporter: 0)
            try await campaign.turn(.photoDamaged, reporter: 1)
            #expect(campaign.summary.failures.isEmpty, "\(campaign.summary.failures)")
            #expect(try await campaign.checkPhotos().isEmpty)

            let connection = try await PostgresConnection.connect(try await campaign.database.start())
            let names = try await connection.query("SELECT sha256 FROM photos ORDER BY sha256").map {
                try $0.decode(SHA256Digest.self, column: 0)
            }
            try #require(names.count >= 2, "\(names.count) photos stored")
            let (gone, kept) = (names[0], names[1])
            let unnamed = TestPhoto.jpeg(size: 1_000, seed: 99)
            try await connection.execute("ALTER TABLE photos DISABLE TRIGGER photos_refuse_update_delete")
            try await connection.execute("DELETE FROM photos WHERE sha256 = \(gone)")
            try await connection.execute("ALTER TABLE photos ENABLE ALWAYS TRIGGER photos_refuse_update_delete")
            try await connection.execute(
                """
                INSERT INTO photo_parts (sha256, start, media_type, size, bytes, received_at)
                SELECT sha256, 0, media_type, size, substring(bytes FROM 1 FOR 100), now() FROM photos
                WHERE sha256 = \(kept)
                """)
            try await connection.execute(
                """
                INSERT INTO photos (sha256, media_type, size, bytes, stored_at)
                VALUES (\(SHA256Digest.hash(unnamed)), 'image/jpeg', \(unnamed.count), \(ByteA(unnamed)), now())
                """)
            await connection.close()

            let problems = try await campaign.checkPhotos()
            #expect(problems.contains { $0.contains(gone.hex) && $0.contains("is not stored") }, "\(problems)")
            #expect(problems.contains { $0.contains(kept.hex) && $0.contains("pieces of an upload") }, "\(problems)")
            #expect(
                problems.contains { $0.contains(SHA256Digest.hash(unnamed).hex) && $0.contains("no stored event") },
                "\(problems)")
            #expect(problems.count == 3, "\(problems)")
        } catch {
            await campaign.stop()
            throw error
        }
        await campaign.stop()
    }
}
