import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Synchronization
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// The projector folds the next batch while the last one is written: each batch is announced after its
/// transaction commits, in order, and a failure while a later batch is folded ahead drops the memory,
/// leaving the tables at the last batch announced.
@Suite struct ProjectorPipelineTests {
    /// A fixture whose checkpoint is past the first third of a messy day, with the rest appended.
    static func fixtureWithPendingEvents(seed: UInt64) async throws -> ProjectorFixture {
        let day = ProjectorStateTests.messyDay(seed: seed)
        let fixture = try await ProjectorStateTests.store(holding: day.prefix(day.count / 3))
        try await Projector(events: fixture.store).applyPending()
        try await ProjectorStateTests.append(day.dropFirst(day.count / 3), to: fixture.store)
        return fixture
    }

    @Test func eachBatchIsAnnouncedAfterItsTransactionCommitsAndInOrder() async throws {
        let fixture = try await Self.fixtureWithPendingEvents(seed: 71)
        let tallies = TallyStore(pool: fixture.pool)
        let start = try await tallies.checkpoint(of: "tallies")
        let head = try await fixture.store.head().position
        // About eight batches: fewer than the feed keeps for a listener that falls behind (16).
        let batch = max(1, Int(head - start) / 8)
        let projector = Projector(events: fixture.store, options: ProjectorStateTests.options(cache: 20, batch: batch))
        let batches = (Int(head - start) + batch - 1) / batch
        // For each announcement: its position, and the checkpoint stored when it arrived.
        let watcher = Task {
            var seen: [(position: Int64, stored: Int64)] = []
            for await update in projector.feed.updates() {
                seen.append((update.position, try await tallies.checkpoint(of: "tallies")))
                if update.position == head { break }
            }
            return seen
        }
        try await waitUntil("the watcher listens") { projector.feed.listeners == 1 }
        #expect(try await projector.applyPending() == head)

        let seen = try await watcher.value
        #expect(seen.count == batches)
        #expect(seen.map(\.position) == seen.map(\.position).sorted())
        #expect(Set(seen.map(\.position)).count == seen.count)
        #expect(seen.allSatisfy { $0.stored >= $0.position })
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    @Test(arguments: [Projector.Stage.stateWritten, .rowsWritten, .checkpointWritten])
    func aFailedWriteWhileTheNextBatchIsFoldedLeavesTheTablesAtTheLastBatchAnnounced(
        stage: Projector.Stage
    ) async throws {
        let fixture = try await Self.fixtureWithPendingEvents(seed: 73)
        let tallies = TallyStore(pool: fixture.pool)
        let start = try await tallies.checkpoint(of: "tallies")
        let projector = Projector(events: fixture.store, options: ProjectorStateTests.options(cache: 20, batch: 150))
        let updates = projector.feed.updates()
        // The third batch's transaction fails; the fourth was being folded meanwhile.
        struct Crash: Error {}
        let writes = Mutex(0)
        await projector.injectFault(at: stage) {
            if writes.withLock({ count in
                count += 1
                return count == 3
            }) {
                throw Crash()
            }
        }
        await #expect(throws: Crash.self) { try await projector.applyPending() }

        var announced: [Int64] = []
        for await update in updates {
            announced.append(update.position)
            if announced.count == 2 { break }
        }
        #expect(announced.count == 2)
        #expect(announced.first.map { $0 > start } == true)
        #expect(try await tallies.checkpoint(of: "tallies") == announced.last)
        #expect(await projector.checkpoint == 0)

        // The same projector resumes from what was written, and the tallies equal a fresh fold.
        await projector.injectFault(at: stage, nil)
        try await projector.applyPending()
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }
}
