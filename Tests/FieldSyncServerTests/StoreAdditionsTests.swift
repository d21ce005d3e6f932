import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// The small additions this server needed in FieldSyncStore: events as records and back, reads by id
/// and type, and an append that commits other writes with the events, or nothing.
@Suite struct StoreAdditionsTests {
    @Test func anEventSurvivesTheStoreAndComesBackAsTheSameStoredEvent() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        let key = SigningKey.generate()
        var chain = DeviceChain(device: key.publicKey.deviceID)
        let events = (0..<3).map { try! chain.sign(TestDevice.turnoutDraft(votes: $0, minute: $0), key: key) }
        _ = try await store.append(events.map(EventRecord.init(event:)))
        let stored = try await store.events(after: 0).map { try $0.storedEvent() }
        #expect(stored.map(\.event) == events)
        var link = GlobalChain.genesis
        for event in stored {
            #expect(event.isLinked(after: link))
            link = event.chain
        }
        #expect(
            try await store.events(ids: [events[2].id.description, events[0].id.description]).map(\.position) == [1, 3])
        #expect(try await store.events(ids: [EventID.random().description]).isEmpty)
        #expect(try await store.events(types: [EventType.turnoutCounted.rawValue], after: 1).map(\.position) == [2, 3])
        #expect(try await store.events(types: [EventType.stationOpened.rawValue]).isEmpty)
    }

    @Test func aDamagedRowIsReportedNotExported() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let store = EventStore(pool: pool)
        let key = SigningKey.generate()
        var chain = DeviceChain(device: key.publicKey.deviceID)
        var record = EventRecord(event: try chain.sign(TestDevice.turnoutDraft(votes: 3), key: key))
        record.payload = record.payload.replacing("3", with: "4")
        _ = try await store.append([record])
        let row = try #require(try await store.events(after: 0).first)
        #expect(throws: StoredEventError.self) { try row.storedEvent() }
    }

    @Test func whatRunsBeforeCommitCommitsWithTheEventsOrNothingDoes() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .owner)
        let store = EventStore(pool: pool)
        _ = try await pool.withConnection { try await $0.execute("CREATE TABLE side (note text)") }
        let key = SigningKey.generate()
        var chain = DeviceChain(device: key.publicKey.deviceID)
        let first = EventRecord(event: try chain.sign(TestDevice.turnoutDraft(), key: key))
        let (result, value) = try await store.append([first]) { connection, result in
            try await connection.execute("INSERT INTO side VALUES ('kept')")
            return result.outcomes
        }
        #expect(value == [.appended(position: 1)])
        #expect(result.head.position == 1)

        struct Refused: Error {}
        let second = EventRecord(event: try chain.sign(TestDevice.turnoutDraft(), key: key))
        await #expect(throws: Refused.self) {
            _ = try await store.append([second]) { connection, _ in
                try await connection.execute("INSERT INTO side VALUES ('dropped')")
                throw Refused()
            }
        }
        #expect(try await store.head().position == 1)
        let notes = try await pool.withConnection { connection in
            try await connection.query("SELECT note FROM side").map { try $0.decode(String.self, column: 0) }
        }
        #expect(notes == ["kept"])
        // The device's head is still read right after the refused batch.
        #expect(try await store.append([second]).outcomes == [.appended(position: 2)])
    }
}
