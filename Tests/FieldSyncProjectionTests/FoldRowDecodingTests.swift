import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// A fold reads its events from rows of the columns it needs, each read where libpq holds it
/// (``FieldSyncModel/StoredEvent/init(foldRow:scratch:)``), in PostgreSQL's binary format or its text: the
/// same events, and the same report of a damaged row, as the stored records every other reader decodes.
@Suite struct FoldRowDecodingTests {
    @Test(arguments: [PostgresResult.Format.binary, .text])
    func foldRowsAreTheEventsOfTheStoredRecords(format: PostgresResult.Format) async throws {
        let fixture = try await ProjectorStateTests.store(holding: ProjectorStateTests.messyDay(seed: 83))
        let read = try await fixture.pool.withConnection { connection in
            var scratch = [UInt8]()
            return try await connection.query(
                "SELECT \(unsafeRaw: EventStore.foldColumns) FROM events ORDER BY position", format: format
            ).map { try StoredEvent(foldRow: $0, scratch: &scratch) }
        }
        let stored = try await fixture.allStoredEvents()
        #expect(Set(stored.map(\.event.type)).count >= 8, "a day of many kinds of event")
        #expect(read.map(\.position) == stored.map(\.position))
        #expect(read.map { Self.signed($0.event) } == stored.map { Self.signed($0.event) })
        #expect(read.map(\.event.payload) == stored.map(\.event.payload))
    }

    /// A fold's read of a batch (``EventStore/foldEvents(after:meeting:limit:)``: a live batch, a page of
    /// reference events, a time-travel difference) gives the stored events after the position that meet its
    /// condition, in position order, up to its limit: many events, decoded on every core, and few.
    @Test func foldEventsAreTheStoredEventsAfterAPositionMeetingTheCondition() async throws {
        let seats = Set(["NA-235", "NA-236", "NA-237"].compactMap(ConstituencyCode.init))
        let day = ElectionDay(demo: KarachiDemo(), nationalSeats: seats, options: .messy(seed: 83))
        let fixture = try await ProjectorStateTests.store(holding: day.syncOrder(seed: 84))
        let stored = try await fixture.allStoredEvents()
        let counts = stored.filter { $0.event.type == .turnoutCounted }
        #expect(stored.count > 5_000, "enough events to be decoded in chunks on every core")
        let after = stored[stored.count / 10].position
        for (condition, expected) in [
            (SQL("TRUE"), stored.filter { $0.position > after }),
            ("type = \(EventType.turnoutCounted.rawValue)", counts.filter { $0.position > after }),
        ] {
            for limit in [1, 3, expected.count, expected.count + 1] {
                let read = try await fixture.store.foldEvents(after: after, meeting: condition, limit: limit)
                let wanted = expected.prefix(limit)
                #expect(read.map(\.position) == wanted.map(\.position), "limit \(limit)")
                #expect(read.map { Self.signed($0.event) } == wanted.map { Self.signed($0.event) }, "limit \(limit)")
            }
        }
        #expect(try await fixture.store.foldEvents(after: after, limit: 0).isEmpty)
    }

    /// A row with one column changed (as if behind the server's back) is reported with the same words by
    /// both readers, whichever format the fold reads.
    @Test(
        arguments: [
            ("event_id", "'0E1D9C84-7D1A-4D3B-9F1E-2A3B4C5D6E7F'", "is not an event id"),
            ("event_id", "'0e1d9c84-7d1a-4d3b-9f1e-2a3b4c5d6e7f'::uuid", "the stored fields hash to"),
            ("device_id", "'Server'", "is not a device id"),
            ("observed_time", "'2024-02-30T12:05:00+05:00'", "is not an observed time"),
            ("payload", #"'{"asOf": "2024-02-08T12:00:00+05:00", "votesCast": "many"}'::jsonb"#, "votesCast"),
            (
                "payload", #"'{"asOf": "2024-02-08T12:00:00+05:00", "votesCast": 101}'::jsonb"#,
                "the stored fields hash to"
            ),
            ("subject", "'NA-235'", "the stored fields hash to"),
            ("prev_hash", "sha256('another'::bytea)", "the stored fields hash to"),
        ], [PostgresResult.Format.binary, .text])
    func aDamagedRowIsReportedAsTheStoredRecordReportsIt(
        damage: (column: String, value: String, problem: String), format: PostgresResult.Format
    ) async throws {
        let (column, value, problem) = damage
        var fixture = try await ProjectorFixture()
        let count = fixture.dayOfObservations(stations: 1)[0]
        _ = try await fixture.store.append([EventRecord(event: count)])
        let position = try await fixture.store.head().position
        func changed(_ columns: String) -> SQL {
            let selected = columns.split(separator: ",").map { name in
                name.filter { !$0.isWhitespace } == column ? "\(value) AS \(column)" : String(name)
            }
            return "SELECT \(unsafeRaw: selected.joined(separator: ",")) FROM events WHERE position = \(position)"
        }
        let (foldRow, recordRow) = try await fixture.pool.withConnection { connection in
            (
                try await connection.query(changed(EventStore.foldColumns), format: format)[0],
                try await connection.query(changed(EventStore.columns))[0]
            )
        }
        var scratch = [UInt8]()
        let foldError = #expect(throws: StoredEventError.self) { try StoredEvent(foldRow: foldRow, scratch: &scratch) }
        let recordError = #expect(throws: StoredEventError.self) {
            try StoredEvent(record: try StoredEventRecord(row: recordRow))
        }
        #expect(foldError?.position == position)
        #expect(foldError?.description == recordError?.description)
        #expect(foldError?.description.contains(problem) == true, "\(String(describing: foldError))")
    }

    /// What an event is, its signature aside (a fold's rows do not read it).
    private static func signed(_ event: Event) -> String {
        [
            event.id.description, event.device.rawValue, String(event.seq), event.type.rawValue, event.time.text,
            event.subject, CanonicalJSON.string(event.data), event.prevHash.hex, event.hash.hex,
        ].joined(separator: " ")
    }
}
