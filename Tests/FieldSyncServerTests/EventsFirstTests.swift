import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

@testable import FieldSyncServer

/// Events before photos on the server: in a burst, a photo's pieces wait while other reporters' batches
/// are being stored, and are kept only once those are in the log.
@Suite struct EventsFirstTests {
    /// Five reporters' batches are held inside the store (the events table locked against inserts by the
    /// cluster's superuser, as a long append would hold it) while a sixth reporter uploads a photo whole over HTTP. The photo's first
    /// piece waits; nothing of it is kept while the batches wait; once they are stored the photo is, and
    /// the database's times put every event of the burst before it. No clock is read by the test: each
    /// step waits for a state the server or the database shows.
    @Test func aPhotoWaitsWhileABurstOfBatchesIsStored() async throws {
        var configuration = ServerConfiguration()
        // Longer than the test: the photo is held back by the batches alone, never let go by its patience.
        configuration.photoPieceWaitForEvents = .seconds(600)
        try await TestServer.with(configuration) { server in
            let bytes = TestPhoto.jpeg(size: 300_000, seed: 71)
            let photo = try PhotoReference(of: bytes)
            let photographer = try await PhotoTests.reporter(naming: photo, on: server)
            var enrolled = [TestDevice]()
            for index in 0..<5 { enrolled.append(try await server.enroll(.reporter, name: "Burst \(index)")) }
            let burst = enrolled

            try await TestCluster.shared.withConnection(as: .superuser, on: server.server.pool) { lock in
                try await lock.execute("BEGIN")
                try await lock.execute("LOCK TABLE events IN EXCLUSIVE MODE")
                let pushes = Task {
                    try await withThrowingTaskGroup(of: [String].self) { group in
                        for var reporter in burst {
                            let events = (0..<20).map { reporter.nextTurnout(votes: 10 + $0, minute: $0) }
                            let device = reporter
                            group.addTask { TestServer.outcomes(try await server.push(events, as: device)) }
                        }
                        return try await group.reduce(into: [String]()) { $0 += $1 }
                    }
                }
                try await waitUntil("the burst waiting for the lock") {
                    try await Self.waitingForLocks(lock) == burst.count
                }
                let upload = Task {
                    try await PhotoTests.put(bytes, of: photo.sha256, on: server, token: photographer.token)
                }
                try await waitUntil("a piece waiting") { server.server.photoPiecesWaitingForEvents == 1 }
                let kept = try await lock.query(
                    """
                    SELECT (SELECT count(*) FROM photos WHERE sha256 = \(photo.sha256))
                         + (SELECT count(*) FROM photo_parts WHERE sha256 = \(photo.sha256))
                    """)
                #expect(try kept[0].decode(Int.self, column: 0) == 0, "a piece was kept while the batches waited")
                try await lock.execute("COMMIT")

                #expect(try await pushes.value == Array(repeating: "appended", count: 100))
                let stored = try await upload.value
                #expect(stored.status == 201, "\(stored.text)")
                let order = try await lock.query(
                    """
                    SELECT count(*) FILTER (WHERE e.received_at < p.stored_at), count(*)
                    FROM events e, photos p
                    WHERE p.sha256 = \(photo.sha256) AND e.device_id = ANY(\(burst.map(\.device.rawValue))::text[])
                    """)
                #expect(try order[0].decode(Int.self, column: 0) == 100, "events stored after the photo")
                #expect(try order[0].decode(Int.self, column: 1) == 100)
            }
        }
    }

    /// The gate alone: a piece that comes while a batch is under way waits until the batch is stored; with
    /// a batch that is never done, a piece goes once its patience has run out.
    @Test func aPieceWaitsForTheBatchUnderWayAndNoLongerThanItsPatience() async throws {
        for patience in [Duration.seconds(600), .milliseconds(50)] {
            let gate = EventsFirst(patience: patience)
            await gate.photoPieceMayGo()  // no batch under way: at once
            let (entered, enter) = AsyncStream.makeStream(of: Void.self)
            let (released, release) = AsyncStream.makeStream(of: Void.self)
            let batch = Task {
                try await gate.storingEvents {
                    enter.yield()
                    for await _ in released { break }
                }
            }
            for await _ in entered { break }
            if patience == .milliseconds(50) {
                await gate.photoPieceMayGo()  // returns with the batch still under way
                #expect(gate.piecesWaiting == 0)
                release.yield()
            } else {
                let piece = Task { await gate.photoPieceMayGo() }
                try await waitUntil("a piece waiting") { gate.piecesWaiting == 1 }
                release.yield()
                await piece.value
            }
            try await batch.value
            #expect(gate.piecesWaiting == 0)
        }
    }

    /// Backends of the database waiting for a lock now (the statistics read afresh).
    private static func waitingForLocks(_ connection: PostgresConnection) async throws -> Int {
        _ = try await connection.query("SELECT pg_stat_clear_snapshot()")
        let rows = try await connection.query(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        return try rows[0].decode(Int.self, column: 0)
    }
}
