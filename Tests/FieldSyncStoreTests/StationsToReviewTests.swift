import FieldSyncTally
import FieldSyncTestSupport
import Testing

@testable import FieldSyncStore

/// The stations an editor should review are found by a column PostgreSQL computes from each station's
/// document as it is written: reports held, a flag, or a disputed result; never another kind of row.
@Suite struct StationsToReviewTests {
    @Test func theColumnFindsHeldFlaggedAndDisputedStationsOnly() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let quiet = #"{"flags":[],"held":[],"results":[{"status":"confirmed"},{"status":"reported"}]}"#
        let documents: [(kind: String, key: String, document: String)] = [
            ("station", "S-1", quiet),
            ("station", "S-2", #"{"flags":[],"held":[{"device":"d"}],"results":[]}"#),
            ("station", "S-3", #"{"flags":[{"kind":"turnout-over-100"}],"held":[],"results":[]}"#),
            ("station", "S-4", #"{"flags":[],"held":[],"results":[{"status":"reported"},{"status":"disputed"}]}"#),
            ("station", "S-5", #"{"flags":[],"held":[],"results":[{"counted":{"status":"disputed"}}]}"#),
            ("station-summary", "S-2", #"{"flags":[{"kind":"x"}],"held":[{"device":"d"}],"results":[]}"#),
            ("constituency", "NA-1", #"{"flags":[{"kind":"x"}],"held":[],"results":[{"status":"disputed"}]}"#),
        ]
        try await pool.withTransaction { connection in
            for row in documents {
                try await connection.execute(
                    """
                    INSERT INTO tallies (kind, key, document, updated_position)
                    VALUES (\(row.kind), \(row.key), \(row.document), 1)
                    """)
            }
        }
        let review = try await TallyStore(pool: pool).stationsToReview()
        #expect(review.documents.map(\.key) == ["S-2", "S-3", "S-4"])
        #expect(review.documents.allSatisfy { $0.kind == .station })
        await pool.close()
    }
}
