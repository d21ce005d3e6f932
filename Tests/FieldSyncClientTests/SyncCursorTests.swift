import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

@Suite struct SyncCursorTests {
    /// Local hashes that are simply the seq, for the plan's comparisons.
    static func hash(_ seq: Int64) -> SHA256Digest? { SHA256Digest.hash("\(seq)") }

    func start(
        last: Int64, server: Int64, serverHash: SHA256Digest? = nil, receipted: Int64
    ) -> Result<SyncCursor, SyncStop> {
        SyncCursor.start(
            last: last, hash: Self.hash,
            server: DeviceHead(
                seq: server, hash: serverHash ?? (server == 0 ? .zero : Self.hash(server)!), position: server),
            receipted: receipted)
    }

    func stored(_ seqs: ClosedRange<Int64>) -> [PushResult] {
        seqs.enumerated().map {
            PushResult(index: $0.offset, id: nil, seq: $0.element, outcome: .appended(position: 100 + $0.element))
        }
    }

    @Test func pushesWhatTheServerLacksInBatches() throws {
        var cursor = try start(last: 1_200, server: 0, receipted: 0).get()
        #expect(cursor.nextBatch(size: 500) == 1...500)
        #expect(cursor.take(stored(1...500), for: 1...500) == nil)
        #expect(cursor.nextBatch(size: 500) == 501...1000)
        #expect(cursor.take(stored(501...1000), for: 501...1000) == nil)
        #expect(cursor.nextBatch(size: 500) == 1001...1200)
        #expect(cursor.take(stored(1001...1200), for: 1001...1200) == nil)
        #expect(cursor.isDone)
        #expect(cursor.acknowledged == 1_200)
    }

    @Test func startsAfterTheServersHeadOrEarlierToGetMissingReceipts() throws {
        #expect(try start(last: 10, server: 6, receipted: 6).get().next == 7)
        // Stored without a receipt reaching this device (a cut connection): pushed again for one.
        #expect(try start(last: 10, server: 6, receipted: 4).get().next == 5)
        // Receipts for more than the server holds (its database restored from a backup): push again.
        #expect(try start(last: 10, server: 3, receipted: 8).get().next == 4)
        #expect(try start(last: 10, server: 10, receipted: 10).get().isDone)
    }

    @Test func aServerAheadOfTheLogOrHoldingAnotherEventIsAConflict() {
        #expect(start(last: 5, server: 7, receipted: 0) == .failure(.serverAhead(serverSeq: 7, localSeq: 5)))
        let other = SHA256Digest.hash("another event")
        #expect(
            start(last: 5, server: 3, serverHash: other, receipted: 0)
                == .failure(.diverged(seq: 3, localHash: Self.hash(3)!, serverHash: other)))
    }

    /// Pushed again for their receipts, events the server already holds come back as duplicates: the
    /// next batch follows them, not the server's head, so that every event gets its receipt.
    @Test func eventsPushedAgainForReceiptsAreWalkedThroughInOrder() throws {
        var cursor = try start(last: 20, server: 15, receipted: 4).get()
        #expect(cursor.nextBatch(size: 5) == 5...9)
        let duplicates = (5...9).map {
            PushResult(index: Int($0 - 5), id: nil, seq: $0, outcome: .duplicate(position: $0))
        }
        #expect(cursor.take(duplicates, for: 5...9) == nil)
        #expect(cursor.nextBatch(size: 5) == 10...14)
        #expect(cursor.acknowledged == 15)
    }

    @Test func aGapResumesFromTheSeqTheServerExpects() throws {
        var cursor = try start(last: 20, server: 5, receipted: 5).get()
        let batch = cursor.nextBatch(size: 10)!
        #expect(batch == 6...15)
        // The server lost 4 and 5 (restored from a backup): it expects 4.
        let gaps = batch.enumerated().map {
            PushResult(index: $0.offset, id: nil, seq: $0.element, outcome: .gap(expectedSeq: 4))
        }
        #expect(cursor.take(gaps, for: batch) == nil)
        #expect(cursor.next == 4)
        #expect(cursor.acknowledged == 3)
        #expect(cursor.nextBatch(size: 10) == 4...13)
    }

    @Test func gapsThatNeverMoveStopTheSync() throws {
        var cursor = try start(last: 20, server: 0, receipted: 0).get()
        var stop: SyncStop?
        for _ in 0..<SyncCursor.maximumStalls {
            let batch = cursor.nextBatch(size: 5)!
            stop = cursor.take(
                [PushResult(index: 0, id: nil, seq: batch.lowerBound, outcome: .gap(expectedSeq: 1))], for: batch)
        }
        #expect(stop == .stalled(expectedSeq: 1))
    }

    @Test func aConflictStopsAfterTakingWhatWasStoredBeforeIt() throws {
        var cursor = try start(last: 10, server: 0, receipted: 0).get()
        var results = stored(1...3)
        results.append(
            PushResult(
                index: 3, id: "x", seq: 4,
                outcome: .conflict(reason: .sequenceTaken, existingPosition: 9, detail: "taken")))
        let stop = cursor.take(results, for: 1...10)
        #expect(
            stop
                == .conflict(
                    SyncConflict(
                        seq: 4, id: "x", reason: .answered(.sequenceTaken), existingPosition: 9, detail: "taken")))
        #expect(cursor.acknowledged == 3)
    }

    @Test func invalidEventsAreAllReported() throws {
        var cursor = try start(last: 4, server: 0, receipted: 0).get()
        let error = FieldError(
            field: "data.votesCast", code: .aboveRegistered, problem: "too many", allowed: "at most 10")
        let results = [
            PushResult(index: 0, id: "a", seq: 1, outcome: .appended(position: 1)),
            PushResult(index: 1, id: "b", seq: 2, outcome: .invalid([error])),
            PushResult(index: 2, id: "c", seq: 3, outcome: .gap(expectedSeq: 2)),
            PushResult(index: 3, id: "d", seq: 4, outcome: .gap(expectedSeq: 2)),
        ]
        #expect(cursor.take(results, for: 1...4) == .invalid([RefusedEvent(seq: 2, id: "b", errors: [error])]))
        #expect(cursor.acknowledged == 1)
    }

    @Test func duplicatesCountAsStored() throws {
        var cursor = try start(last: 3, server: 0, receipted: 0).get()
        let results = (1...3).map {
            PushResult(index: $0 - 1, id: nil, seq: Int64($0), outcome: .duplicate(position: Int64($0)))
        }
        #expect(cursor.take(results, for: 1...3) == nil)
        #expect(cursor.isDone)
    }

    @Test func anAnswerForFewerEventsThanSentStops() throws {
        var cursor = try start(last: 3, server: 0, receipted: 0).get()
        #expect(cursor.take(stored(1...1), for: 1...3) == .incompleteAnswer(sent: 3, answered: 1))
    }
}

@Suite struct BackoffTests {
    @Test func delaysGrowExponentiallyWithJitterUpToTheCap() {
        let backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5), giveUpAfter: .seconds(60))
        #expect(backoff.delay(attempt: 1, random: 0) == .milliseconds(100))
        #expect(backoff.delay(attempt: 1, random: 1) == .milliseconds(200))
        #expect(backoff.delay(attempt: 3, random: 0.5) == .milliseconds(600))
        #expect(backoff.delay(attempt: 30, random: 1) == .seconds(5))
        #expect(backoff.delay(attempt: 30, random: 0) == .milliseconds(2500))
        for attempt in 1...40 {
            let delay = backoff.delay(attempt: attempt, random: Double(attempt % 7) / 7)
            #expect(delay > .zero && delay <= .seconds(5))
        }
    }

    @Test func givesUpOnceTheBoundWouldBePassed() {
        let backoff = Backoff(giveUpAfter: .seconds(10))
        #expect(backoff.shouldRetry(elapsed: .seconds(5), nextDelay: .seconds(4)))
        #expect(!backoff.shouldRetry(elapsed: .seconds(8), nextDelay: .seconds(4)))
    }
}
