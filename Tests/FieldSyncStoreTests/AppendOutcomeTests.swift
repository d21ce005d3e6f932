import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

@Suite struct AppendOutcomeTests {
    @Test func appendsABatchWithGaplessPositionsAndAChain() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        let batch = (0..<5).map { _ in device.next() }
        let result = try await store.append(batch)
        #expect(result.outcomes == (1...5).map { .appended(position: Int64($0)) })
        #expect(result.head.position == 5)

        let stored = try await store.events(after: 0)
        #expect(stored.map(\.record) == batch)
        var link = GlobalChain.genesis
        for event in stored {
            link = GlobalChain.link(
                previous: link, position: event.position, eventHash: event.record.hash, received: event.received,
                signature: event.record.signature)
            #expect(event.chain == link)
        }
        #expect(try await store.head() == ChainHead(position: 5, chain: link))
        #expect(try await store.deviceHead(device.deviceID)?.seq == 5)
    }

    @Test func sendingTheSameEventsAgainStoresNothingNew() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        let batch = (0..<3).map { _ in device.next() }
        _ = try await store.append(batch)
        let again = try await store.append(batch)
        #expect(again.outcomes == [.duplicate(position: 1), .duplicate(position: 2), .duplicate(position: 3)])
        #expect(again.head.position == 3)
        #expect(try await store.events(after: 0).count == 3)

        // The same event twice in one batch: the second is a duplicate of the first.
        let fourth = device.next()
        let twice = try await store.append([fourth, fourth])
        #expect(twice.outcomes == [.appended(position: 4), .duplicate(position: 4)])
    }

    @Test func sameIDWithOtherContentIsAConflictAndIsRecorded() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        let first = device.next()
        _ = try await store.append([first])
        var altered = first
        altered.payload = #"{"votesCast": 11}"#
        altered.hash = SHA256Digest.hash("altered")
        let result = try await store.append([altered])
        #expect(result.outcomes == [.conflict(AppendConflict(reason: .sameIDOtherContent, existingPosition: 1))])
        #expect(try await store.events(after: 0).count == 1)
        let recorded = try await store.conflicts(device: device.deviceID)
        #expect(recorded.map(\.reason) == [.sameIDOtherContent])
        #expect(recorded.first?.eventID == first.id)
    }

    @Test func anotherEventInATakenSequenceNumberIsAConflict() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        _ = try await store.append([device.next(), device.next()])
        let rival = RecordFactory.make(deviceID: device.deviceID, sequence: 2, previousHash: GlobalChain.genesis)
        let result = try await store.append([rival])
        #expect(result.outcomes == [.conflict(AppendConflict(reason: .sequenceTaken, existingPosition: 2))])
    }

    @Test func aPreviousHashThatDoesNotLinkIsAConflict() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        _ = try await store.append([device.next()])
        let forked = RecordFactory.make(
            deviceID: device.deviceID, sequence: 2, previousHash: SHA256Digest.hash("not the first event"))
        let result = try await store.append([forked])
        #expect(result.outcomes == [.conflict(AppendConflict(reason: .chainMismatch, existingPosition: 1))])
        #expect(try await store.conflicts(device: device.deviceID).map(\.reason) == [.chainMismatch])
    }

    @Test func aMissingPredecessorIsAGapThatNamesTheExpectedSequence() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        let first = device.next()
        let second = device.next()
        let third = device.next()
        let result = try await store.append([first, third])
        #expect(result.outcomes == [.appended(position: 1), .gap(expectedSequence: 2)])
        // Resuming from the expected sequence fills the gap.
        let resumed = try await store.append([second, third])
        #expect(resumed.outcomes == [.appended(position: 2), .appended(position: 3)])
    }

    @Test func badEventsNeverHideTheGoodOnesOfTheirBatch() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var alice = RecordFactory()
        var bob = RecordFactory()
        let aliceFirst = alice.next()
        _ = try await store.append([aliceFirst])
        var conflicting = aliceFirst
        conflicting.hash = SHA256Digest.hash("other")
        let bobFirst = bob.next()
        _ = bob.next()
        let bobThird = bob.next()
        let aliceSecond = alice.next()
        let result = try await store.append([conflicting, bobFirst, bobThird, aliceSecond])
        #expect(
            result.outcomes == [
                .conflict(AppendConflict(reason: .sameIDOtherContent, existingPosition: 1)),
                .appended(position: 2),
                .gap(expectedSequence: 2),
                .appended(position: 3),
            ])
        #expect(try await store.events(after: 0).map(\.record.id) == [aliceFirst.id, bobFirst.id, aliceSecond.id])
    }

    @Test func readsByDeviceStationAndPositionRange() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var alice = RecordFactory()
        var bob = RecordFactory()
        _ = try await store.append([
            alice.next(station: "NA-248-001"), bob.next(station: "NA-248-002"), alice.next(station: "NA-248-002"),
            bob.next(station: nil),
        ])
        #expect(try await store.events(device: alice.deviceID).map(\.position) == [1, 3])
        #expect(try await store.events(device: alice.deviceID, afterSequence: 1).map(\.position) == [3])
        #expect(try await store.events(station: "NA-248-002").map(\.position) == [2, 3])
        #expect(try await store.events(after: 1, limit: 2).map(\.position) == [2, 3])

        var streamed: [Int64] = []
        for try await event in store.stream(after: 0, pageSize: 3) { streamed.append(event.position) }
        #expect(streamed == [1, 2, 3, 4])
        streamed = []
        for try await event in store.stream(after: 1, until: 3, pageSize: 1) { streamed.append(event.position) }
        #expect(streamed == [2, 3])
    }

    @Test func storedFieldsSurviveTheRoundTripExactly() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var device = RecordFactory()
        let tricky = #"{"description": "tab\there, quote \" backslash \\ newline\n and اردو", "votesCast": 9007199254740991}"#
        let record = device.next(payload: tricky)
        _ = try await store.append([record])
        let stored = try #require(try await store.events(after: 0).first)
        #expect(stored.record.time == record.time)
        #expect(stored.record.observedAt == record.observedAt)
        #expect(stored.record.signature == record.signature)
        // jsonb keeps the values (not the spacing or member order).
        #expect(stored.record.payload.contains(#""votesCast": 9007199254740991"#))
        #expect(stored.record.payload.contains(#"tab\there, quote \" backslash \\ newline\n and اردو"#))
    }
}

/// Two servers on one database: each remembers device heads, and neither may trust its memory once
/// the other has appended.
@Suite struct TwoAppendersTests {
    @Test func appendersOnOneDatabaseSeeEachOthersEvents() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let first = EventStore(pool: pool)
        let second = EventStore(pool: pool)
        var device = RecordFactory()
        let one = device.next()
        let two = device.next()
        let three = device.next()
        #expect(try await first.append([one]).outcomes == [.appended(position: 1)])
        #expect(try await second.append([two]).outcomes == [.appended(position: 2)])
        // The first store's memory says seq 1 is the device's head; the database says 2.
        #expect(try await first.append([three]).outcomes == [.appended(position: 3)])
        #expect(try await second.append([two, three]).outcomes == [.duplicate(position: 2), .duplicate(position: 3)])
    }

    @Test func anIDReusedByAnotherDeviceIsAConflictNotAnError() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var alice = RecordFactory()
        var bob = RecordFactory()
        let aliceFirst = alice.next()
        _ = try await store.append([aliceFirst])
        let bobFirst = bob.next()
        let stolen = RecordFactory.make(id: aliceFirst.id, deviceID: bob.deviceID, sequence: 2, previousHash: bobFirst.hash)
        let result = try await store.append([bobFirst, stolen])
        #expect(
            result.outcomes == [
                .appended(position: 2), .conflict(AppendConflict(reason: .sameIDOtherContent, existingPosition: 1)),
            ])
    }
}
