import FieldSyncModel
import FieldSyncTestSupport
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

@Suite struct StationFactsDecodingTests {
    /// A station's facts of thousands of events (what a time-travel share or a large station load reads,
    /// decoded on every core) are the events the log holds, in the order read; and a row changed behind the
    /// server's back among them, in a later chunk than the first, is reported by its position, never folded.
    @Test func manyFactsAreTheLogsEventsAndADamagedRowIsReported() async throws {
        var fixture = try await ProjectorFixture(pool: try await TestCluster.shared.makeMigratedPool(as: .superuser))
        let station = fixture.election.stations[0].code
        var counts = [Event]()
        for index in 0..<4_500 {
            let count = TurnoutCount(asOf: ObservedTime("2024-02-08T12:00:00+05:00")!, votesCast: index)
            counts.append(fixture.alice.record(.turnoutCounted(count), at: station, time: "2024-02-08T12:05:00+05:00"))
        }
        _ = try await fixture.store.append(counts.map(EventRecord.init(event:)))
        let head = try await fixture.store.head().position
        func facts() async throws -> [StoredEvent] {
            try await fixture.pool.withConnection { connection in
                try await StationStateStore.facts(of: [station.rawValue], upTo: head, on: connection)
            }
        }
        let readOrder = try await fixture.pool.withConnection { connection in
            try await connection.query(StationStateStore.factsQuery(of: [station.rawValue], upTo: head)).map {
                try $0.decode(Int64.self, column: 0)
            }
        }
        let unsorted = try await facts()
        #expect(unsorted.map(\.position) == readOrder)
        let decoded = unsorted.sorted { $0.position < $1.position }
        let stored = try await fixture.allStoredEvents().filter { $0.event.station == station }
        #expect(decoded.count == 4_500)
        #expect(decoded.map(\.position) == stored.map(\.position))
        #expect(decoded.map(\.event.hash) == stored.map(\.event.hash))
        #expect(decoded.map(\.event.payload) == stored.map(\.event.payload))

        let damaged = stored[3_700].position
        try await fixture.pool.withConnection { connection in
            try await connection.execute("ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete")
            try await connection.execute(
                """
                UPDATE events
                SET payload = jsonb_set(payload, '{votesCast}', to_jsonb((payload ->> 'votesCast')::bigint + 1))
                WHERE position = \(damaged)
                """)
        }
        let error = await #expect(throws: StoredEventError.self) { try await facts() }
        #expect(error?.position == damaged)
        #expect(error?.description.contains("the stored fields hash to") == true, "\(String(describing: error))")
    }
}
