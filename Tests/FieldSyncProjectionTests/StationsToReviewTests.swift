import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// The stations an editor should review are found by a column the projector writes beside each document:
/// reports held, a flag, or a disputed result; never another kind of row. Here the column is checked
/// against each stored document read back as JSON, after the batches of a live projector and after a
/// rebuild (which writes with COPY).
@Suite struct StationsToReviewTests {
    /// Whether a station's document, as stored, names something to review.
    static func namesSomethingToReview(_ document: JSONValue) -> Bool {
        let held = document["held"]?.arrayValue ?? []
        let flags = document["flags"]?.arrayValue ?? []
        let results = document["results"]?.arrayValue ?? []
        return !held.isEmpty || !flags.isEmpty || results.contains { $0["status"]?.stringValue == "disputed" }
    }

    /// Every row's kind, key, `needs_review` and parsed document.
    static func rows(_ pool: PostgresPool) async throws -> [(kind: String, key: String, review: Bool, JSONValue)] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT kind, key, needs_review, document FROM tallies ORDER BY kind, key").map {
                (
                    try $0.decode(String.self, column: 0), try $0.decode(String.self, column: 1),
                    try $0.decode(Bool.self, column: 2),
                    try JSONParser.parse(Array(try $0.decode(String.self, column: 3).utf8))
                )
            }
        }
    }

    /// The column agrees with every document, some stations need review and some do not, and the stations
    /// to review are exactly those.
    static func expectTheColumnAgreesWithTheDocuments(_ pool: PostgresPool, _ moment: String) async throws {
        let rows = try await Self.rows(pool)
        for row in rows where row.review != (row.kind == "station" && Self.namesSomethingToReview(row.3)) {
            Issue.record("\(moment): \(row.kind) \(row.key) has needs_review \(row.review)")
        }
        let expected = rows.filter { $0.kind == "station" && $0.review }.map(\.key)
        #expect(expected.count > 0 && expected.count < rows.filter { $0.kind == "station" }.count, "\(moment)")
        let review = try await TallyStore(pool: pool).stationsToReview()
        #expect(review.documents.map(\.key) == expected, "\(moment)")
        #expect(review.documents.allSatisfy { $0.kind == .station }, "\(moment)")
    }

    @Test func theColumnFindsHeldFlaggedAndDisputedStationsAfterBatchesAndAfterARebuild() async throws {
        let day = ProjectorStateTests.messyDay(seed: 47)
        let fixture = try await ProjectorStateTests.store(holding: day)
        let projector = Projector(events: fixture.store, options: ProjectorStateTests.options(batch: 300))
        try await projector.applyPending()
        try await Self.expectTheColumnAgreesWithTheDocuments(fixture.pool, "after batches")

        try await fixture.pool.withConnection {
            _ = try await $0.execute("UPDATE tallies SET needs_review = NOT needs_review")
        }
        try await projector.rebuild()
        try await Self.expectTheColumnAgreesWithTheDocuments(fixture.pool, "after a rebuild")
        await fixture.pool.close()
    }
}
