import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Foundation
import Synchronization
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// A signed election day in a fresh database: reference data, two reporters who agree on some
/// stations and disagree on one, turnout counts, a correction.
struct ProjectorFixture {
    let pool: PostgresPool
    let store: EventStore
    var election = SmallElection()
    var alice = TestReporter(seed: 1)
    var bob = TestReporter(seed: 2)

    /// On a fresh database of the shared test cluster, or on `pool`'s (migrated) database; holding the
    /// election and its two reporters unless `empty`.
    init(pool: PostgresPool? = nil, empty: Bool = false) async throws {
        if let pool { self.pool = pool } else { self.pool = try await TestCluster.shared.makeMigratedPool() }
        store = EventStore(pool: self.pool)
        guard !empty else { return }
        _ = try await store.append(election.reference.map(EventRecord.init(event:)))
        let enrollments = election.enroll(alice.key, name: "Alice") + election.enroll(bob.key, name: "Bob")
        _ = try await store.append(enrollments.map(EventRecord.init(event:)))
    }

    /// Reporters' events for the first `count` stations: turnout, then results (Bob disputes station 2).
    mutating func dayOfObservations(stations count: Int) -> [Event] {
        var events: [Event] = []
        for (index, station) in election.stations.prefix(count).enumerated() {
            events.append(
                alice.record(
                    .turnoutCounted(
                        TurnoutCount(asOf: ObservedTime("2024-02-08T12:00:00+05:00")!, votesCast: 100 + index)),
                    at: station.code, time: "2024-02-08T12:05:00+05:00"))
            let result = election.form45(for: station, totalCast: 400 + index)
            events.append(
                alice.record(.resultReported(result), at: station.code, time: "2024-02-08T18:00:00+05:00"))
            let bobs = index == 1 ? election.form45(for: station, totalCast: 400 + index, skew: 25) : result
            events.append(bob.record(.resultReported(bobs), at: station.code, time: "2024-02-08T18:30:00+05:00"))
        }
        return events
    }

    /// Every stored event, as the model's events.
    func allStoredEvents() async throws -> [StoredEvent] {
        var all: [StoredEvent] = []
        for try await record in store.stream() { all.append(try StoredEvent(record: record)) }
        return all
    }

    /// The tally table's documents, byte for byte as stored, by kind and key.
    func persistedDocuments() async throws -> [String: [UInt8]] {
        let rows = try await pool.withConnection { connection in
            try await connection.query("SELECT kind, key, document FROM tallies").map {
                (
                    try $0.decode(String.self, column: 0) + "/" + $0.decode(String.self, column: 1),
                    try $0.decode([UInt8].self, column: 2)
                )
            }
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// What a fresh in-memory fold of every stored event renders, by kind and key.
    func foldedDocuments() async throws -> [String: [UInt8]] {
        let tally = ElectionTally(replaying: try await allStoredEvents())
        var documents: [String: [UInt8]] = [:]
        for row in tally.rows(for: tally.allChanges) {
            documents[row.kind.rawValue + "/" + row.key] = row.canonicalBytes
        }
        return documents
    }
}

@Suite struct ProjectorTests {
    @Test func persistedTablesEqualAFreshFoldOfAllEvents() async throws {
        var fixture = try await ProjectorFixture()
        let projector = Projector(events: fixture.store)
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 4).map(EventRecord.init(event:)))
        let reached = try await projector.applyPending()
        #expect(reached == (try await fixture.store.head().position))
        #expect(try await TallyStore(pool: fixture.pool).checkpoint(of: "tallies") == reached)

        let persisted = try await fixture.persistedDocuments()
        #expect(persisted == (try await fixture.foldedDocuments()))
        #expect(persisted.keys.contains("city/city"))
        #expect(persisted.keys.contains("constituency/NA-235"))

        // The disputed station shows as such through the documented views (for people, not the server's role).
        let statuses = try await TestCluster.shared.withConnection(as: .owner, on: fixture.pool) { connection in
            try await connection.query(
                "SELECT station, status FROM station_results WHERE constituency = 'NA-235' AND status <> 'unreported' ORDER BY station"
            ).map { try $0.decode(String.self, column: 1) }
        }
        #expect(statuses == ["confirmed", "disputed", "confirmed", "confirmed"])
    }

    @Test func laterBatchesWriteOnlyWhatChangedAndAnnounceIt() async throws {
        var fixture = try await ProjectorFixture()
        let projector = Projector(events: fixture.store)
        try await projector.applyPending()
        let before = await projector.checkpoint
        let updates = projector.feed.updates()

        let station = fixture.election.stations[0]
        let turnout = fixture.alice.record(
            .turnoutCounted(TurnoutCount(asOf: ObservedTime("2024-02-08T13:00:00+05:00")!, votesCast: 321)),
            at: station.code, time: "2024-02-08T13:01:00+05:00")
        _ = try await fixture.store.append([EventRecord(event: turnout)])
        try await projector.applyPending()

        var iterator = updates.makeAsyncIterator()
        let update = try #require(await iterator.next())
        #expect(update.position == before + 1)
        #expect(update.changes.stations == [station.code])
        let changed = try await TallyStore(pool: fixture.pool).changes(after: before)
        #expect(changed.contains(TallyChange(kind: .station, key: station.code.rawValue, position: before + 1)))
        #expect(!changed.contains { $0.kind == .station && $0.key != station.code.rawValue })
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    @Test func aCrashInsideABatchLeavesTablesAndCheckpointAsBeforeAndARestartCompletesThem() async throws {
        var fixture = try await ProjectorFixture()
        let first = Projector(events: fixture.store)
        try await first.applyPending()
        let checkpoint = await first.checkpoint
        let before = try await fixture.persistedDocuments()

        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 3).map(EventRecord.init(event:)))
        struct Crash: Error {}
        await first.injectFault { throw Crash() }
        await #expect(throws: Crash.self) { try await first.applyPending() }
        // The rows were written before the failure, but the transaction never committed.
        #expect(try await fixture.persistedDocuments() == before)
        #expect(try await TallyStore(pool: fixture.pool).checkpoint(of: "tallies") == checkpoint)

        // A new projector (a restarted process) resumes from the checkpoint.
        let restarted = Projector(events: fixture.store)
        try await restarted.applyPending()
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    @Test func aRebuildSwapsAllRowsAtOnceWhileReadersKeepReading() async throws {
        var fixture = try await ProjectorFixture()
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 6).map(EventRecord.init(event:)))
        let projector = Projector(events: fixture.store)
        try await projector.applyPending()
        let rows = try await fixture.persistedDocuments().count
        let head = try await fixture.store.head().position
        // Make the stored rows differ from what a rebuild writes, so a reader can tell old from new.
        _ = try await fixture.pool.withConnection { try await $0.execute("UPDATE tallies SET updated_position = 0") }

        let done = Mutex(false)
        let taken = Mutex(0)
        let pool = fixture.pool
        async let snapshots: [[Int64]] = {
            var seen: [[Int64]] = []
            while !done.withLock({ $0 }) {
                let positions = try await pool.withConnection { connection in
                    try await connection.query("SELECT updated_position FROM tallies").map {
                        try $0.decode(Int64.self, column: 0)
                    }
                }
                seen.append(positions)
                taken.withLock { $0 += 1 }
            }
            return seen
        }()
        try await projector.rebuild()
        // Two more reads, so that one began after the swap, however slowly the reader goes.
        let takenBeforeTheSwapEnded = taken.withLock { $0 }
        try await waitUntil("two reads after the rebuild") { taken.withLock { $0 } >= takenBeforeTheSwapEnded + 2 }
        done.withLock { $0 = true }

        let seen = try await snapshots
        #expect(seen.last.map(Set.init) == [head], "a read after the rebuild saw its rows")
        for snapshot in seen {
            // Every snapshot is complete, and entirely old or entirely new.
            #expect(snapshot.count == rows)
            #expect(Set(snapshot) == [0] || Set(snapshot) == [head])
        }
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
        #expect(try await TallyStore(pool: fixture.pool).checkpoint(of: "tallies") == head)
    }

    @Test func aRebuildReportsARowChangedBehindTheServersBackAndLeavesTheTalliesAsTheyWere() async throws {
        // The cluster's superuser, who alone may switch the append-only trigger off.
        var fixture = try await ProjectorFixture(pool: try await TestCluster.shared.makeMigratedPool(as: .superuser))
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 6).map(EventRecord.init(event:)))
        let projector = Projector(events: fixture.store)
        try await projector.applyPending()
        let before = try await fixture.persistedDocuments()
        // Alice's result at the first station moves 50 votes between two candidates (the form still adds
        // up); the stored hash stays.
        let changed = try #require(
            try await fixture.allStoredEvents().first {
                $0.event.type == .resultReported && $0.event.station == fixture.election.stations[0].code
            })
        let candidates = try #require(changed.event.data["votes"]?.objectValue?.keys.sorted())
        try #require(candidates.count >= 2)
        try await expectRebuildReports(
            changed.position,
            changedBy: """
                UPDATE events SET payload = jsonb_set(jsonb_set(payload,
                    ARRAY['votes', \(candidates[0])], to_jsonb((payload -> 'votes' ->> \(candidates[0]))::bigint + 50)),
                    ARRAY['votes', \(candidates[1])], to_jsonb((payload -> 'votes' ->> \(candidates[1]))::bigint - 50))
                WHERE position = \(changed.position)
                """,
            projector: projector, fixture: fixture, documentsBefore: before)
    }

    @Test func aRebuildReportsATurnoutCountChangedBehindTheServersBack() async throws {
        // A turnout count is read from its stored text without a JSON tree; its hash is checked all the same.
        var fixture = try await ProjectorFixture(pool: try await TestCluster.shared.makeMigratedPool(as: .superuser))
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 3).map(EventRecord.init(event:)))
        let projector = Projector(events: fixture.store)
        try await projector.applyPending()
        let before = try await fixture.persistedDocuments()
        let changed = try #require(try await fixture.allStoredEvents().last { $0.event.type == .turnoutCounted })
        try await expectRebuildReports(
            changed.position,
            changedBy: """
                UPDATE events
                SET payload = jsonb_set(payload, '{votesCast}', to_jsonb((payload ->> 'votesCast')::bigint + 1))
                WHERE position = \(changed.position)
                """,
            projector: projector, fixture: fixture, documentsBefore: before)
    }

    /// Changes a stored event behind the server's back with `update` (run as the cluster's superuser, past the
    /// append-only trigger), then expects a rebuild to report the event at `position` by its hash and to leave
    /// the tallies as they were.
    private func expectRebuildReports(
        _ position: Int64, changedBy update: SQL, projector: Projector, fixture: ProjectorFixture,
        documentsBefore before: [String: [UInt8]]
    ) async throws {
        try await fixture.pool.withConnection { connection in
            try await connection.execute("ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete")
            try await connection.execute(update)
        }
        let error = await #expect(throws: StoredEventError.self) { try await projector.rebuild() }
        #expect(error?.position == position)
        #expect(error?.description.contains("the stored fields hash to") == true, "\(String(describing: error))")
        #expect(try await fixture.persistedDocuments() == before)
    }

    @Test func theStationsToReviewAreThoseTheFoldFlagsAfterARebuildAndAfterABatch() async throws {
        var fixture = try await ProjectorFixture()
        // Four stations, the second disputed; then a flag at the third: a count that goes down.
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 4).map(EventRecord.init(event:)))
        let projector = Projector(events: fixture.store)
        try await projector.rebuild()
        let tallies = TallyStore(pool: fixture.pool)

        /// The stations a fresh fold says an editor should look at: held reports, flags, a disputed result.
        func foldedToReview() async throws -> [String] {
            let tally = ElectionTally(replaying: try await fixture.allStoredEvents())
            return tally.stationCodes.filter { code in
                guard let station = tally.station(code) else { return false }
                return !station.held.isEmpty || !station.flags.isEmpty
                    || station.results.contains { $0.status == .disputed }
            }.map(\.rawValue).sorted()
        }
        let afterRebuild = try await tallies.stationsToReview().documents.map(\.key)
        #expect(afterRebuild == [fixture.election.stations[1].code.rawValue])
        #expect(afterRebuild == (try await foldedToReview()))

        let third = fixture.election.stations[2].code
        let lower = fixture.alice.record(
            .turnoutCounted(TurnoutCount(asOf: ObservedTime("2024-02-08T13:00:00+05:00")!, votesCast: 10)),
            at: third, time: "2024-02-08T13:01:00+05:00")
        _ = try await fixture.store.append([EventRecord(event: lower)])
        try await projector.applyPending()
        let afterBatch = try await tallies.stationsToReview().documents.map(\.key)
        #expect(afterBatch.contains(third.rawValue))
        #expect(afterBatch == (try await foldedToReview()))
    }

    @Test func theProjectorServiceFollowsTheLogAsItGrows() async throws {
        var fixture = try await ProjectorFixture()
        let projector = Projector(events: fixture.store)
        let updates = projector.feed.updates()
        let service = Task { try await projector.run() }
        defer { service.cancel() }

        var iterator = updates.makeAsyncIterator()
        let reference = try #require(await iterator.next())
        let events = fixture.dayOfObservations(stations: 2)
        let appended = try await fixture.store.append(events.map(EventRecord.init(event:)))
        var update = reference
        while update.position < appended.head.position {
            update = try #require(await iterator.next())
        }
        #expect(update.position == appended.head.position)
        service.cancel()
    }

    /// PostgreSQL crashes (an immediate shutdown) and comes back: committed events survive, the pool
    /// connects again, and the projector listens again. The poll fallback is set an hour away, so only a
    /// notification can bring the appends into the tallies in time.
    @Test func afterPostgreSQLCrashesTheProjectorListensAgain() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-crash")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var clusterOptions = EmbeddedPostgres.Options(dataDirectory: folder)
        clusterOptions.settings = ["fsync": "off"]
        let cluster = EmbeddedPostgres(options: clusterOptions)
        let pool = PostgresPool(configuration: try await cluster.start())
        try await Migrator().migrate(pool)
        var fixture = try await ProjectorFixture(pool: pool)
        var options = Projector.Options()
        options.pollMilliseconds = 3_600_000
        let projector = Projector(events: fixture.store, options: options)
        let service = Task { try await projector.run() }
        let committed = try await fixture.store.head()
        #expect(try await Self.checkpoint(of: projector, reaches: committed.position, within: .seconds(300)))

        try await cluster.crashAndRestart()
        #expect(try await Self.retrying { try await fixture.store.head() } == committed)
        let events = fixture.dayOfObservations(stations: 2)
        for (batch, part) in [events.prefix(3), events.dropFirst(3)].enumerated() {
            let appended = try await Self.retrying {
                try await fixture.store.append(part.map(EventRecord.init(event:)))
            }
            #expect(
                try await Self.checkpoint(of: projector, reaches: appended.head.position, within: .seconds(300)),
                "batch \(batch + 1) did not reach the tallies in 300 s")
        }
        service.cancel()
        _ = try? await service.value
        await pool.close()
        await cluster.stop()
    }

    /// The pipelined reader a whole-log fold uses hands every event after the start and up to the bound
    /// once, in position order, in pages no larger than asked, whatever the page size.
    @Test func decodedPagesComeInPositionOrderUpToTheBound() async throws {
        var fixture = try await ProjectorFixture()
        _ = try await fixture.store.append(fixture.dayOfObservations(stations: 3).map(EventRecord.init(event:)))
        let head = try await fixture.store.head().position
        for pageSize in [1, 2, 7, 5_000] {
            for (after, last) in [(Int64(0), Int64?.none), (3, head - 2), (head, nil), (0, 0), (5, 5)] {
                var seen: [Int64] = []
                try await fixture.store.forEachDecodedPage(after: after, upTo: last, pageSize: pageSize) { page in
                    #expect(!page.isEmpty && page.count <= pageSize)
                    seen += page.map(\.position)
                }
                let end = last ?? head
                #expect(
                    seen == (after < end ? Array((after + 1)...end) : []),
                    "page size \(pageSize), after \(after), up to \(String(describing: last))")
            }
        }
    }

    /// A projector that starts while its database refuses new connections (as PostgreSQL does when
    /// `max_connections` is reached, or while it restarts) keeps trying, and catches up once it may connect.
    @Test func aProjectorThatCannotConnectAtFirstKeepsTryingAndCatchesUp() async throws {
        let fixture = try await ProjectorFixture()
        let committed = try await fixture.store.head()
        let database = await fixture.pool.configuration.database
        let superuser = try await PostgresConnection.connect(try await TestCluster.shared.superuser())
        try await superuser.execute("ALTER DATABASE \(identifier: database) ALLOW_CONNECTIONS false")
        let projector = Projector(events: fixture.store)
        let service = Task { try await projector.run() }
        try await Task.sleep(for: .seconds(1))
        #expect(await projector.checkpoint < committed.position)
        try await superuser.execute("ALTER DATABASE \(identifier: database) ALLOW_CONNECTIONS true")
        await superuser.close()
        #expect(try await Self.checkpoint(of: projector, reaches: committed.position, within: .seconds(300)))
        service.cancel()
        _ = try? await service.value
    }

    /// `body` until it stops failing (the pool's first uses after a crash meet lost connections), for
    /// two minutes at least.
    private static func retrying<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        for _ in 0..<1_200 {
            if let value = try? await body() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await body()
    }

    /// Whether the projector's checkpoint reaches `position` before `limit` is up.
    private static func checkpoint(
        of projector: Projector, reaches position: Int64, within limit: Duration
    )
        async throws -> Bool
    {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if await projector.checkpoint >= position { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
