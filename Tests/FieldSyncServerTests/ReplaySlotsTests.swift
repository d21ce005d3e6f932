import Hummingbird
import Testing

@testable import FieldSyncServer

@Suite struct ReplaySlotsTests {
    /// With every slot held by a fold that has not ended, the next is refused at once; once a fold ends,
    /// its slot is free again.
    @Test func aFoldBeyondTheLimitIsRefusedUntilASlotFrees() async throws {
        let slots = ReplaySlots(limit: 2)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let (starts, started) = AsyncStream.makeStream(of: Void.self)
        let holders = (0..<2).map { _ in
            Task {
                try await slots.run {
                    started.yield()
                    for await _ in released { break }
                    return 1
                }
            }
        }
        var iterator = starts.makeAsyncIterator()
        _ = await iterator.next()
        _ = await iterator.next()

        let refusal = await #expect(throws: Problem.self) { try await slots.run { 3 } }
        #expect(refusal?.kind == .replaysBusy)
        #expect(refusal?.headers[.retryAfter] == "5")
        #expect(refusal?.detail.contains("2 tallies as of a past moment are being computed") == true)

        release.yield()
        release.yield()
        release.finish()
        for holder in holders { #expect(try await holder.value == 1) }
        #expect(try await slots.run { 4 } == 4)
    }

    /// A fold that fails gives its slot back.
    @Test func aFailedFoldFreesItsSlot() async throws {
        struct Broken: Error {}
        let slots = ReplaySlots(limit: 1)
        await #expect(throws: Broken.self) { try await slots.run { () async throws -> Int in throw Broken() } }
        #expect(try await slots.run { 5 } == 5)
    }
}
