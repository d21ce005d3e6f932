// Projector benchmarks, against an embedded PostgreSQL in a temporary folder (default settings):
//
// 1. Rebuild: a generated polling day over Karachi's 22 NA seats (about a million events) is appended
//    through the event store; then the projector rebuilds the tally tables from position 0, and in the
//    same run one SQL query computes votes per candidate per constituency over the same events (the
//    floor). Prints both times and their ratio (goal: the rebuild within 3 times the query).
//    Then city tallies as of random past times and positions over that log (the fold behind
//    `GET /v1/tallies?asOf=` and `?position=`): p50 and max, and p50 against the floor.
// 2. Live lag: in a fresh database holding the reference data, observations are appended at a steady
//    rate (5,000 events/s by default: the national burst, every station reporting within ten minutes)
//    while the projector follows with its default options (its cache bounds included); for each batch,
//    the time from the append's commit to the projector's commit of the changed rows. Prints p50 and
//    p99 and the rate the appends reached (goal: p99 at most 250 ms).
//
//     swift run -c release projector-benchmark [events, default 1000000] [live rate, default 5000] [live seconds, default 30]
//         [events the live projector's station cache holds, default the projector's (Projector.Options)]
//
// With LOG_LEVEL=debug the live projector logs each batch's phase times (read, load, apply, render, write, evict).
//
// Events are generated without signatures (the projector never checks them; the server does).
import BenchmarkSupport
import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import Foundation
import Logging
import Synchronization

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let target = arguments.first ?? 1_000_000
let liveRate = arguments.dropFirst().first ?? 5000
let liveSeconds = arguments.dropFirst(2).first ?? 30
var liveOptions = Projector.Options()
if let held = arguments.dropFirst(3).first { liveOptions.stationCacheEvents = held }
let clock = ContinuousClock()

func generatedDay(events target: Int, seed: UInt64) -> ElectionDay {
    let demo = KarachiDemo()
    var options = ElectionDay.Options()
    options.seed = seed
    options.turnoutCounts = max(1, target / (demo.stations.count * 2) - 6)
    options.copyingMistakes = 0.08
    options.mistakesCorrected = 0.6
    options.strayCorrections = 0.01
    return ElectionDay(demo: demo, options: options)
}

func append(_ events: some Collection<StoredEvent>, to store: EventStore, batchSize: Int) async throws {
    var batch: [EventRecord] = []
    batch.reserveCapacity(batchSize)
    for event in events {
        batch.append(EventRecord(event: event.event))
        if batch.count == batchSize {
            let result = try await store.append(batch)
            if result.appendedCount != batch.count {
                print("warning: \(batch.count - result.appendedCount) events of a batch were not appended")
            }
            batch.removeAll(keepingCapacity: true)
        }
    }
    if !batch.isEmpty { _ = try await store.append(batch) }
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-projector-benchmark-\(getpid())")
    .path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
let cluster = EmbeddedPostgres(options: .init(dataDirectory: folder))
let server = try await cluster.start()
defer { try? FileManager.default.removeItem(atPath: folder) }

// MARK: 1. Rebuild against one SQL query

print("generating about \(target) events…")
let day = generatedDay(events: target, seed: 8)
let events = Array(day.syncOrder(seed: 1).prefix(target))
let rebuildPool = PostgresPool(configuration: server, maximumConnections: 4)
try await Migrator().migrate(rebuildPool)
let rebuildStore = EventStore(pool: rebuildPool)
let loadStart = clock.now
try await append(events, to: rebuildStore, batchSize: 5000)
print(String(format: "appended %d events through the store in %.1f s", events.count, seconds(clock.now - loadStart)))
_ = try await rebuildPool.withConnection { connection in
    try await connection.execute("VACUUM ANALYZE events")
    try await connection.execute("CHECKPOINT")
}

let floorQuery: SQL = """
    SELECT payload->>'constituency' AS constituency, votes.key AS candidate, sum(votes.value::bigint) AS votes
    FROM events, jsonb_each_text(payload->'votes') AS votes
    WHERE type = 'fieldsync.result.reported.v1'
    GROUP BY 1, 2
    """
// Warm the cache for both alike: read the table once.
_ = try await rebuildPool.withConnection {
    try await $0.query("SELECT count(*), sum(length(payload::text)) FROM events")
}
let queryStart = clock.now
let floorRows = try await rebuildPool.withConnection { try await $0.query(floorQuery).count }
let queryTime = clock.now - queryStart

let projector = Projector(events: rebuildStore)
let rebuildStart = clock.now
let rebuiltTo = try await projector.rebuild()
let rebuildTime = clock.now - rebuildStart
let rows = try await rebuildPool.withConnection {
    try await $0.query("SELECT count(*) FROM tallies").first!.decode(Int.self, column: 0)
}
print(
    "rebuild of \(events.count) events (to position \(rebuiltTo)): \(String(format: "%.2f", seconds(rebuildTime))) s, \(rows) tally rows"
)
print(
    "SQL floor (votes per candidate per constituency, \(floorRows) rows): \(String(format: "%.2f", seconds(queryTime))) s"
)
print(String(format: "ratio rebuild / SQL floor: %.2f (goal ≤ 3)", seconds(rebuildTime) / seconds(queryTime)))

// What reading alone costs: the columns the rebuild reads, every event, in its pages, into this process and
// dropped (no decoding, no hash, no fold). A rebuild that checks each event's hash here reads at least this.
let readStart = clock.now
var readAfter: Int64 = 0
var readRows = 0
while true {
    let page = try await rebuildPool.withConnection { connection in
        try await connection.query(
            """
            SELECT \(unsafeRaw: EventStore.foldColumns) FROM events
            WHERE position > \(readAfter) ORDER BY position LIMIT \(Projector.foldPageSize)
            """, format: EventStore.foldFormat)
    }
    guard let last = page.last else { break }
    readAfter = try last.decode(Int64.self, column: 0)
    readRows += page.count
}
let readTime = clock.now - readStart
print(
    String(
        format:
            "reading alone (the rebuild's columns of %d events, pages of %d, nothing decoded): %.2f s, %.2f × the floor",
        readRows, Projector.foldPageSize, seconds(readTime), seconds(readTime) / seconds(queryTime)))

// City tallies as of random past times and positions over the same log (seeded): by time, folded station by
// station, a share at a time (the rebuild's one snapshot, at the head, cannot be cut by time); by position,
// from that snapshot back or station by station. The same fold as `GET /v1/tallies?asOf=` and `?position=`,
// without HTTP, kept between requests as the server keeps it (`TallyTimeTravel.LastFold`: the reference data
// and the stations with facts, read by the first request); each against the floor.
var travelRandom = SplitMix64(seed: 2024_02_08)
let travel = TallyTimeTravel(events: rebuildStore, lastFold: TallyTimeTravel.LastFold())
for (name, samples) in [("time", 9), ("position", 9)] {
    var latencies: [Double] = []
    for _ in 0..<samples {
        let cutoff: TallyCutoff =
            name == "time"
            ? .observedAtOrBefore(events[travelRandom.next(in: 0...(events.count - 1))].event.time.instant)
            : .position(Int64(travelRandom.next(in: 1...Int(rebuiltTo))))
        let started = clock.now
        _ = try await travel.tally(asOf: cutoff)
        latencies.append(seconds(clock.now - started))
    }
    latencies.sort()
    print(
        String(
            format: "time travel by %@, city tally at %d random cutoffs: p50 %.2f s (%.1f × the floor), max %.2f s",
            name, samples, latencies[samples / 2], latencies[samples / 2] / seconds(queryTime), latencies[samples - 1]))
}
await rebuildPool.close()

// MARK: 2. Live lag

let liveDatabase = "fieldsync_live"
_ = try await PostgresPool(configuration: server).withConnection {
    try await $0.execute("CREATE DATABASE \(identifier: liveDatabase)")
}
let livePool = PostgresPool(configuration: server.with(database: liveDatabase), maximumConnections: 4)
try await Migrator().migrate(livePool)
let liveStore = EventStore(pool: livePool)
let liveDay = generatedDay(events: liveRate * liveSeconds * 2, seed: 9)
let liveEvents = liveDay.syncOrder(seed: 2)
try await append(liveEvents.prefix(liveDay.reference.count), to: liveStore, batchSize: 5000)
let observations = Array(liveEvents.dropFirst(liveDay.reference.count).prefix(liveRate * liveSeconds))

var liveLogger = Logger(label: "fieldsync.projector")
liveLogger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
let follower = Projector(events: liveStore, options: liveOptions, logger: liveLogger)
try await follower.applyPending()
let commits = Mutex([(position: Int64, committed: ContinuousClock.Instant)]())
let lags = Mutex([Duration]())
let updates = follower.feed.updates()
let service = Task { try await follower.run() }
let watcher = Task {
    for await update in updates {
        let now = clock.now
        commits.withLock { pending in
            while let first = pending.first, first.position <= update.position {
                lags.withLock { $0.append(now - first.committed) }
                pending.removeFirst()
            }
        }
    }
}

// 20 batches a second, each of rate / 20 events, on a fixed schedule.
let batchesPerSecond = 20
let perBatch = max(1, liveRate / batchesPerSecond)
let liveStart = clock.now
var sent = 0
var tick = 0
while sent < observations.count {
    let due = liveStart + .milliseconds(tick * 1000 / batchesPerSecond)
    if due > clock.now { try await Task.sleep(until: due, clock: clock) }
    let slice = observations[sent..<min(observations.count, sent + perBatch)]
    let result = try await liveStore.append(slice.map { EventRecord(event: $0.event) })
    let committed = clock.now
    commits.withLock { $0.append((result.head.position, committed)) }
    sent += slice.count
    tick += 1
}
let liveElapsed = seconds(clock.now - liveStart)
try await Task.sleep(for: .seconds(2))
service.cancel()
watcher.cancel()
let measured = lags.withLock { $0 }.sorted()
func percentile(_ p: Double) -> Double {
    guard !measured.isEmpty else { return .nan }
    return seconds(measured[min(measured.count - 1, Int(Double(measured.count) * p))]) * 1000
}
print(
    String(
        format: "live: %d events in %.1f s (%.0f events/s), %d batches measured; station cache %d stations, %d events",
        sent, liveElapsed, Double(sent) / liveElapsed, measured.count, liveOptions.stationCache,
        liveOptions.stationCacheEvents))
print(
    String(
        format:
            "live lag, append commit → tally rows committed: p50 %.1f ms, p99 %.1f ms, max %.1f ms, appends at %.0f events/s (goal p99 ≤ 250 ms)",
        percentile(0.5), percentile(0.99), percentile(1.0), Double(sent) / liveElapsed))

await livePool.close()
await cluster.stop()
