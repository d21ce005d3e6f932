import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// The projector keeps its fold's state in the database: a start or a failure resumes from the
/// checkpoint by reading that state, and memory holds only a bounded cache of stations. Whatever
/// happens, the tables equal a fresh fold of every stored event.
@Suite struct ProjectorStateTests {
    /// A messy polling day in NA-235 (copying mistakes, corrections that apply and that cannot, held
    /// devices, editors' reviews, official Form-45s), in the order a server might receive it.
    static func messyDay(seed: UInt64) -> [StoredEvent] {
        ElectionDay(demo: KarachiDemo(), nationalSeats: [ConstituencyCode("NA-235")!], options: .messy(seed: seed))
            .syncOrder(seed: seed + 1)
    }

    /// A fresh database holding `events`, appended in pages.
    static func store(holding events: some Collection<StoredEvent>) async throws -> ProjectorFixture {
        let fixture = try await ProjectorFixture(empty: true)
        try await append(events, to: fixture.store)
        return fixture
    }

    static func append(_ events: some Collection<StoredEvent>, to store: EventStore) async throws {
        let records = events.map { EventRecord(event: $0.event) }
        for start in stride(from: 0, to: records.count, by: 2_000) {
            let page = Array(records[start..<min(start + 2_000, records.count)])
            let appended = try await store.append(page)
            #expect(appended.appendedCount == page.count)
        }
    }

    static func options(cache: Int = 2_000, cacheEvents: Int = 100_000, batch: Int = 5_000) -> Projector.Options {
        var options = Projector.Options()
        options.stationCache = cache
        options.stationCacheEvents = cacheEvents
        options.batchSize = batch
        return options
    }

    @Test(arguments: [Projector.Stage.stateWritten, .rowsWritten, .checkpointWritten])
    func aFailureAtAnyStageOfABatchLeavesEverythingAsBeforeAndTheTalliesEqualAFreshFold(
        stage: Projector.Stage
    ) async throws {
        let day = Self.messyDay(seed: 41)
        let half = day.count / 2
        let fixture = try await Self.store(holding: day.prefix(half))
        let first = Projector(events: fixture.store, options: Self.options(batch: 700))
        try await first.applyPending()
        let checkpoint = await first.checkpoint
        let before = try await fixture.persistedDocuments()
        let sumsBefore = try await StationStateStore(pool: fixture.pool).sums().map { $0.0 }

        try await Self.append(day.dropFirst(half), to: fixture.store)
        struct Crash: Error {}
        await first.injectFault(at: stage) { throw Crash() }
        await #expect(throws: Crash.self) { try await first.applyPending() }
        #expect(try await fixture.persistedDocuments() == before)
        #expect(try await TallyStore(pool: fixture.pool).checkpoint(of: "tallies") == checkpoint)
        #expect(try await StationStateStore(pool: fixture.pool).sums().map { $0.0 } == sumsBefore)

        // The same projector, after its failure, resumes from the stored state.
        await first.injectFault(at: stage, nil)
        try await first.applyPending()
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    @Test func aRestartContinuesFromTheStoredStateAndTheTalliesEqualAFreshFold() async throws {
        let day = Self.messyDay(seed: 43)
        let fixture = try await Self.store(holding: day.prefix(day.count / 3))
        let first = Projector(events: fixture.store, options: Self.options(batch: 500))
        try await first.applyPending()

        try await Self.append(day.dropFirst(day.count / 3), to: fixture.store)
        let restarted = Projector(events: fixture.store, options: Self.options(batch: 500))
        try await restarted.applyPending()
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    @Test func theOfficialComparisonItKeepsIsWhatReadingEveryStationsDocumentGives() async throws {
        let day = Self.messyDay(seed: 61)
        let fixture = try await Self.store(holding: day.prefix(day.count / 2))
        try await Projector(events: fixture.store, options: Self.options(cache: 5, batch: 300)).applyPending()
        try await Self.append(day.dropFirst(day.count / 2), to: fixture.store)
        try await Projector(events: fixture.store, options: Self.options(cache: 5, batch: 300)).applyPending()

        let snapshot = try await TallyStore(pool: fixture.pool).snapshot(kinds: [.station, .constituency, .official])
        let parse = { (document: TallySnapshot.Document) in try JSONParser.parse(document.bytes) }
        // As GET /v1/official made it per request before the projector kept it.
        let read = OfficialDifferences(
            stations: try snapshot.documents(.station).map(parse),
            seats: try snapshot.documents(.constituency).map(parse))
        #expect(!read.differences.isEmpty)
        let kept = try #require(snapshot.document(.official, "city"))
        #expect(CanonicalJSON.bytes(try parse(kept)) == CanonicalJSON.bytes(read.jsonValue))
    }

    @Test func aRestartReadsTheSeatsSumsItStored() async throws {
        let day = Self.messyDay(seed: 47)
        let fixture = try await Self.store(holding: day.prefix(day.count / 2))
        let first = Projector(events: fixture.store)
        try await first.applyPending()

        // Resuming with no new event reads the state and holds no station.
        let restarted = Projector(events: fixture.store)
        try await restarted.applyPending()
        let resumed = await restarted.current
        #expect(resumed.isPartial)
        #expect(resumed.heldStations.isEmpty)
        #expect(resumed.lastPosition == (await first.checkpoint))
        // And its roll-ups are the stored ones: a fresh fold's.
        let fold = ElectionTally(replaying: try await fixture.allStoredEvents())
        #expect(resumed.city == fold.city)
        #expect(resumed.constituencyCodes == fold.constituencyCodes)
        for code in fold.constituencyCodes { #expect(resumed.constituency(code) == fold.constituency(code)) }
    }

    @Test func aDatabaseWithoutStoredStateIsFoldedOnceAndThenResumesFromIt() async throws {
        let day = Self.messyDay(seed: 53)
        let fixture = try await Self.store(holding: day.prefix(day.count / 2))
        try await Projector(events: fixture.store).applyPending()
        _ = try await fixture.pool.withConnection { try await $0.execute("DELETE FROM seat_sums") }

        try await Self.append(day.dropFirst(day.count / 2), to: fixture.store)
        try await Projector(events: fixture.store).applyPending()
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
        #expect(!(try await StationStateStore(pool: fixture.pool).sums()).isEmpty)
    }

    @Test(arguments: [1, 3])
    func underATinyStationCacheTheTalliesEqualAFreshFold(cache: Int) async throws {
        let day = Self.messyDay(seed: 59)
        let fixture = try await Self.store(holding: day)
        let projector = Projector(events: fixture.store, options: Self.options(cache: cache, batch: 150))
        try await projector.applyPending()
        #expect(await projector.current.heldStations.count <= cache)
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    /// The stations' facts grow with the log: the cache's bound on the events they hold keeps the memory
    /// flat, and letting stations go early changes no tally.
    @Test(arguments: [0, 40])
    func underATinyEventBoundTheTalliesEqualAFreshFold(cacheEvents: Int) async throws {
        let day = Self.messyDay(seed: 67)
        let fixture = try await Self.store(holding: day)
        let projector = Projector(
            events: fixture.store, options: Self.options(cacheEvents: cacheEvents, batch: 150))
        try await projector.applyPending()
        let fold = await projector.current
        #expect(fold.heldStations.reduce(0) { $0 + fold.factCount(of: $1) } <= cacheEvents)
        #expect(try await fixture.persistedDocuments() == (try await fixture.foldedDocuments()))
    }

    /// The projector's questions about the log are answered by the indexes of migration 0012 (on a log
    /// this small the planner would rather scan, so scans are turned off: what is checked is that the
    /// partial indexes match the statements at all).
    @Test func theStationQueriesUseTheirIndexes() async throws {
        let fixture = try await Self.store(holding: Self.messyDay(seed: 61).prefix(500))
        let (corrections, facts) = try await fixture.pool.withConnection { connection in
            try await connection.execute("SET enable_seqscan = off")
            let explain = { (query: SQL) in
                try await connection.query("EXPLAIN \(query)").map { try $0.decode(String.self, column: 0) }
                    .joined(separator: "\n")
            }
            return (
                try await explain(
                    StationStateStore.waitingCorrectionsQuery(naming: [EventID(high: 1, low: 2)], upTo: 1_000)),
                try await explain(StationStateStore.factsQuery(of: ["NA-235-001"], upTo: 1_000))
            )
        }
        #expect(corrections.contains("events_by_corrected"), "\(corrections)")
        #expect(facts.contains("events_by_payload_station"), "\(facts)")
        #expect(facts.contains("events_by_station"), "\(facts)")
    }
}
