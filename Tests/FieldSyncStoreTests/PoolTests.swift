import FieldSyncTestSupport
import Synchronization
import Testing

@testable import FieldSyncStore

/// Lending connections: callers beyond the pool's size wait their turn, and can stop waiting.
@Suite struct PoolTests {
    @Test func aCancelledWaiterStopsWaitingAndLeavesTheQueue() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        let holder = await Holder(lendingTheOnlyConnectionOf: pool)
        let waiter = Task { try await pool.withConnection { try await $0.query("SELECT 1").count } }
        #expect(try await Self.waiting(in: pool, becomes: 1))

        waiter.cancel()
        // It stops waiting while the connection is still lent.
        #expect(try await Self.waiting(in: pool, becomes: 0))
        try await holder.giveBack()
        await #expect(throws: CancellationError.self) { try await waiter.value }

        // The connection given back goes to the next caller: no turn was lost to the cancelled waiter.
        #expect(try await pool.withConnection { try await $0.query("SELECT 1").count } == 1)
        await pool.close()
    }

    @Test func aTaskCancelledBeforeItWouldWaitDoesNotWait() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        let holder = await Holder(lendingTheOnlyConnectionOf: pool)
        let (cancelled, cancelling) = AsyncStream<Void>.makeStream()
        let finished = Mutex(false)
        let waiter = Task {
            defer { finished.withLock { $0 = true } }
            // Cancelled before it asks the pool.
            for await _ in cancelled { break }
            return try await pool.withConnection { _ in true }
        }
        waiter.cancel()
        cancelling.finish()
        // It ends while the connection is still lent, without queueing.
        try await waitUntil("the cancelled task ended") { finished.withLock { $0 } }
        #expect(await pool.waiting == 0)
        try await holder.giveBack()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await pool.close()
    }

    /// Whether the number of waiting tasks reaches `count` (within minutes: only a hang is a failure).
    static func waiting(in pool: PostgresPool, becomes count: Int) async throws -> Bool {
        try? await waitUntil("\(count) waiting") { await pool.waiting == count }
        return await pool.waiting == count
    }

    /// A task that holds the pool's only connection until it is given back.
    struct Holder {
        let task: Task<Void, any Error>
        let giving: AsyncStream<Void>.Continuation

        init(lendingTheOnlyConnectionOf pool: PostgresPool) async {
            let (lent, lending) = AsyncStream<Void>.makeStream()
            let (given, giving) = AsyncStream<Void>.makeStream()
            task = Task {
                try await pool.withConnection { _ in
                    lending.yield()
                    for await _ in given { break }
                }
            }
            self.giving = giving
            for await _ in lent { break }
        }

        func giveBack() async throws {
            giving.yield()
            try await task.value
        }
    }
}
