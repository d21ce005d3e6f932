import FieldSyncStore
import FieldSyncTestSupport
import Synchronization
import Testing

/// The reading-order guarantee: a reader that follows `position > last` never skips an event, even
/// when appenders race and commit in any order.
@Suite struct ReadingOrderTests {
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    @Test func aFollowingReaderSeesEveryEventOnceAndInOrderWhileAppendersRace() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 12)
        let store = EventStore(pool: pool)
        let appenders = 8
        let batchesPerAppender = 25
        let batchSize = 7
        let total = Int64(appenders * batchesPerAppender * batchSize)
        let appendersDone = Flag()

        // The reader follows as fast as it can while the appenders run, then reads once more at the end.
        async let followed: [Int64] = {
            var seen: [Int64] = []
            var last: Int64 = 0
            while true {
                let finished = appendersDone.isSet
                let page = try await store.events(after: last, limit: 50)
                for event in page {
                    seen.append(event.position)
                    last = event.position
                }
                if page.isEmpty {
                    if finished { return seen }
                    await Task.yield()
                }
            }
        }()

        let appended = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<appenders {
                group.addTask {
                    var device = RecordFactory()
                    var positions: [Int64] = []
                    for _ in 0..<batchesPerAppender {
                        let result = try await store.append((0..<batchSize).map { _ in device.next() })
                        positions += result.outcomes.compactMap(\.position)
                    }
                    return positions
                }
            }
            var all: [Int64] = []
            for try await positions in group { all += positions }
            return all
        }
        appendersDone.set()

        #expect(appended.sorted() == Array(1...total))
        // Exactly 1, 2, 3, … total: a skipped event would show as a jump, a repeat as a duplicate.
        #expect(try await followed == Array(1...total))
    }
}
