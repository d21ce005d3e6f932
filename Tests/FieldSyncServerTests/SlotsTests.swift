import Hummingbird
import Testing

@testable import FieldSyncServer

@Suite struct SlotsTests {
    /// With every slot held by a fold that has not ended, the next is refused at once; once a fold ends,
    /// its slot is free again.
    @Test func aFoldBeyondTheLimitIsRefusedUntilASlotFrees() async throws {
        let slots = Slots(limit: 2, busy: Problem.replaysBusy)
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
        let slots = Slots(limit: 1, busy: Problem.replaysBusy)
        await #expect(throws: Broken.self) { try await slots.run { () async throws -> Int in throw Broken() } }
        #expect(try await slots.run { 5 } == 5)
    }

    /// A slot taken for a streamed answer is given back once, when released or when dropped unreleased.
    @Test func aSlotIsGivenBackOnceWhenReleasedOrDropped() throws {
        let slots = Slots(limit: 1, busy: Problem.exportsBusy)
        var slot: Slots.Slot? = try slots.take()
        let refusal = #expect(throws: Problem.self) { try slots.take() }
        #expect(refusal?.kind == .exportsBusy)
        #expect(refusal?.status == .serviceUnavailable)
        #expect(refusal?.headers[.retryAfter] == "10")
        slot?.release()
        slot?.release()
        #expect(slots.inUse == 0)
        slot = try slots.take()
        #expect(slots.inUse == 1)
        slot = nil
        #expect(slots.inUse == 0)
        _ = try slots.take()
    }
}
