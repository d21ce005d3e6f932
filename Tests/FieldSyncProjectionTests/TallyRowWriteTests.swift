import FieldSyncModel
import FieldSyncTestSupport
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore
@testable import FieldSyncTally

/// A batch's rows are written in statements of bounded size, so that the copies a statement's documents
/// take on their way to PostgreSQL stay small however many rows a batch changed; the tables are the same.
@Suite struct TallyRowWriteTests {
    @Test func rowsAreCutIntoSlicesOfAtMostTheBytesGivenInOrder() {
        func row(_ key: String, bytes: Int?) -> TallyRow {
            TallyRow(kind: .station, key: key, canonicalBytes: bytes.map { [UInt8](repeating: 0x20, count: $0) })
        }
        let rows = [
            row("a", bytes: 400), row("b", bytes: 400), row("c", bytes: 400), row("gone", bytes: nil),
            row("large", bytes: 1_500), row("d", bytes: 100),
        ]
        let slices = rows.slices(ofDocumentBytes: 1_000).map { $0.map(\.key) }
        #expect(slices == [["a", "b"], ["c", "gone"], ["large"], ["d"]])
        #expect(rows.slices(ofDocumentBytes: 10_000).map { $0.map(\.key) } == [rows.map(\.key)])
        #expect([TallyRow]().slices(ofDocumentBytes: 1_000).isEmpty)
    }

    @Test func aFoldWrittenInSmallStatementsIsStoredAsInOne() async throws {
        var fixture = try await ProjectorFixture()
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 6).map(EventRecord.init(event:)))
        let tally = ElectionTally(replaying: try await fixture.allStoredEvents())
        let rows = tally.rows(for: tally.allChanges)
        let documentBytes = rows.reduce(0) { $0 + ($1.canonicalBytes?.count ?? 0) }
        let largest = rows.map { $0.canonicalBytes?.count ?? 0 }.max()!
        let tallies = TallyStore(pool: fixture.pool)

        let statements = try await fixture.pool.withTransaction { connection in
            try await tallies.write(rows, on: connection, position: 1, statementBytes: largest)
        }
        #expect(statements == rows.slices(ofDocumentBytes: largest).count)
        #expect(statements >= (documentBytes + largest - 1) / largest)
        #expect(statements > 1)
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))

        let whole = try await ProjectorFixture(empty: true)
        let once = try await whole.pool.withTransaction { connection in
            try await TallyStore(pool: whole.pool).write(rows, on: connection, position: 1)
        }
        #expect(once == 1)
        #expect(try await whole.persistedDocuments() == (try await fixture.persistedDocuments()))
        await fixture.pool.close()
        await whole.pool.close()
    }
}
