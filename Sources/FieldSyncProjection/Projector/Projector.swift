import FieldSyncModel
import FieldSyncStore
import FieldSyncTally
import Logging
import ServiceLifecycle

/// Folds the event log into the tally tables and keeps them current.
///
/// It reads the events after its checkpoint in position order, applies them to a partial fold
/// (``ElectionTally/isPartial``) that holds the reference data, the seats' sums and a bounded cache of
/// stations, loading the stations a batch touches from the database first (``StationStateStore``).
/// It writes the seats' sums, the rows the batch changed and the new checkpoint in one transaction: a
/// crash at any instant leaves the state, the tables and the checkpoint consistent, and a restart reads
/// the reference data and the sums and resumes after the checkpoint without folding the log again.
/// After a batch, the stations least recently touched are evicted down to ``Options/stationCache``
/// stations holding at most ``Options/stationCacheEvents`` events as their facts. While one batch's
/// transaction is written, the next is read and folded (``applyPending()``).
/// It wakes on the event store's notifications, and polls as a fallback. After each batch it announces
/// what changed (``feed``, and a notification on ``TallyStore/notificationChannel`` for other processes).
public actor Projector: Service {
    public struct Options: Sendable {
        /// The projector's name in `projector_checkpoints`.
        public var name = "tallies"
        /// The most events folded per transaction.
        public var batchSize = 5_000
        /// How long to wait for a notification before looking anyway.
        public var pollMilliseconds: Int32 = 1_000
        /// The most stations held in memory between batches (their facts and tallies); the others are
        /// read from the database when a batch touches them. The bound on their events
        /// (``stationCacheEvents``) is what keeps the memory flat as the log grows; this one bounds the
        /// stations with few events each. At 5,000 events/s a batch touches hundreds of stations
        /// spread over the whole city: 2,000 stations reloaded most of them every batch, from the
        /// events, while 10,000 keep every Karachi station until their events pass the other bound.
        public var stationCache = 10_000
        /// The most events the stations in memory hold as their facts between batches, summed: a
        /// station's facts grow with its events, so this, not the number of stations, keeps the memory
        /// flat as the log grows. A station held weighs about 800 bytes an event with its derived tally
        /// (a national slice's), so 30,000 events are about 25 MB; at 5,000 events/s the live lag was the
        /// same with 10,000, 30,000 and 100,000 (`projector-benchmark`'s fourth argument).
        public var stationCacheEvents = 30_000
        /// A snapshot of the seats' sums is written with each checkpoint that reaches or passes a multiple
        /// of this many events (``TallySnapshotStore``), so that a tally as of a past moment folds at most
        /// about this many events (``TallyTimeTravel``); 0 writes none. Each snapshot stores only the sums
        /// of the seats that changed since the one before: at most one row per seat per snapshot.
        public var snapshotEvery = 10_000

        public init() {}
    }

    public let options: Options
    public nonisolated let feed = Broadcast<TallyUpdate>()
    private let events: EventStore
    private let tallies: TallyStore
    private let states: StationStateStore
    private let snapshots: TallySnapshotStore
    private var cache: StationCache
    private let logger: Logger
    private var tally: ElectionTally
    private var isCaughtUp = false

    public init(events: EventStore, options: Options = Options(), logger: Logger = Logger(label: "fieldsync.projector"))
    {
        self.events = events
        self.tallies = TallyStore(pool: events.pool)
        self.states = StationStateStore(pool: events.pool)
        self.snapshots = TallySnapshotStore(pool: events.pool)
        self.cache = StationCache(limit: options.stationCache, factLimit: options.stationCacheEvents)
        self.options = options
        self.logger = logger
        self.tally = ElectionTally()
    }

    /// The position of the last event folded and written.
    public private(set) var checkpoint: Int64 = 0

    /// The fold in memory, partial: it holds only the stations in its cache. While ``applyPending()``
    /// runs it may be a batch ahead of the tables; when it returns, it is as written.
    public var current: ElectionTally { tally }

    /// Runs until the service group shuts down: catches up, then follows the log.
    ///
    /// A failure, even the first connection's, is logged and retried with a growing pause: PostgreSQL
    /// restarting, or refusing connections for a while, does not stop the server.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.follow() }
        feed.finish()
    }

    /// Folds what is pending each time the event store announces an append, and every
    /// ``Options/pollMilliseconds`` anyway, until cancelled.
    private func follow() async {
        let listening = events.pool.configuration.with(applicationName: "fieldsync projector")
        await listening.withNotifications(
            on: EventStore.notificationChannel, poll: .milliseconds(Int(options.pollMilliseconds)), logger: logger
        ) { wakes in
            for await _ in wakes {
                do {
                    try await RetryPause.untilSuccess("projector failed; will retry", logger: logger) {
                        do {
                            try await applyPending()
                        } catch {
                            forget()
                            throw error
                        }
                    }
                } catch {
                    return  // cancelled
                }
            }
        }
    }

    /// Folds and writes every event after the checkpoint, batch by batch, until none is left.
    /// Returns the checkpoint reached.
    ///
    /// Two batches are in flight: while one batch's transaction is written, the next is read and folded
    /// in memory. The memory runs at most one batch ahead of the tables; a failure of either drops it
    /// (``forget()``), and each batch is announced only once its transaction has committed, in order.
    @discardableResult
    public func applyPending() async throws -> Int64 {
        try await resume()
        do {
            var folded = try await foldNextBatch()
            while let batch = folded {
                async let written = Self.write(batch, to: stores)
                var failure: (any Error)?
                do {
                    folded = try await foldNextBatch()
                } catch {
                    failure = error
                }
                let timings = try await written
                checkpoint = batch.position
                logger.debug("batch applied", metadata: timings.metadata)
                feed.publish(TallyUpdate(position: batch.position, changes: batch.changes, isRebuild: false))
                if let failure { throw failure }
            }
        } catch {
            // The tables did not move past the last batch announced: the memory must not either.
            forget()
            throw error
        }
        return checkpoint
    }

    /// A batch folded in memory and rendered, to be written.
    struct FoldedBatch: Sendable {
        /// The position the batch reaches.
        var position: Int64
        var changes: TallyChanges
        var rows: [TallyRow]
        var sums: [(ConstituencyCode, [UInt8])]
        var takesSnapshot: Bool
        var faults: [Stage: @Sendable () async throws -> Void]
        var timings: BatchTimings
    }

    /// Reads the events after the fold's position, up to a batch, and folds them (``fold(_:readSince:)``).
    /// Nil when no event is left.
    private func foldNextBatch() async throws -> FoldedBatch? {
        let reading = ContinuousClock.now
        let stored = try await Self.decodedEvents(events, after: tally.lastPosition, limit: options.batchSize)
        guard !stored.isEmpty else { return nil }
        return try await fold(stored, readSince: reading)
    }

    /// Loads the stations `stored` touches, applies it and renders the rows it changed; then evicts the
    /// stations least recently touched. The batch's read began at `readSince`.
    ///
    /// Not inlined, nor is ``decodedEvents(_:after:limit:)``: inlined into their caller, the release
    /// build's optimizer crashed (Swift 6.3, splitting the coroutine).
    @inline(never)
    private func fold(_ stored: [StoredEvent], readSince: ContinuousClock.Instant) async throws -> FoldedBatch {
        var timings = BatchTimings(since: readSince)
        timings.end(.read)
        let previous = tally.lastPosition
        let held = tally.heldStations
        let loaded = try await states.states(
            for: tally.stateRequest(for: stored), holding: held, upTo: tally.lastPosition)
        timings.stationsLoaded = loaded.stations.count { !held.contains($0) }
        timings.factsLoaded = loaded.events.count
        tally.load(loaded)
        timings.end(.load)
        let changes = try tally.applyLoaded(stored)
        timings.end(.apply)
        let position = tally.lastPosition
        let rows = tally.rows(for: changes)
        let sums = tally.takeChangedSums()
        timings.end(.render)
        tally.endBatch()
        cache.touch(loaded.stations.union(changes.stations))
        evictOverflow()
        timings.end(.evict)
        timings.events = stored.count
        timings.rows = rows.count
        timings.bytes = rows.reduce(0) { $0 + ($1.canonicalBytes?.count ?? 0) }
        timings.position = position
        return FoldedBatch(
            position: position, changes: changes, rows: rows, sums: sums,
            takesSnapshot: snapshotDue(from: previous, to: position), faults: faults, timings: timings)
    }

    /// The tables a batch is written to.
    struct Stores: Sendable {
        var pool: PostgresPool
        var tallies: TallyStore
        var states: StationStateStore
        var snapshots: TallySnapshotStore
        var projector: String
    }

    private nonisolated var stores: Stores {
        Stores(pool: events.pool, tallies: tallies, states: states, snapshots: snapshots, projector: options.name)
    }

    /// Writes a folded batch's sums, rows and checkpoint in one transaction, with a snapshot when one is
    /// due, off the projector's actor (the next batch is folded meanwhile). Returns the batch's timings,
    /// the write's phases added.
    private static func write(_ batch: FoldedBatch, to stores: Stores) async throws -> BatchTimings {
        var timings = batch.timings
        timings.restart()
        try await stores.pool.withTransaction { connection in
            try await stores.states.write(batch.sums, position: batch.position, on: connection)
            if batch.takesSnapshot {
                try await stores.snapshots.write(at: batch.position, on: connection)
            }
            timings.end(.sums)
            try await batch.faults[.stateWritten]?()
            try await stores.tallies.write(batch.rows, on: connection, position: batch.position)
            timings.end(.rows)
            try await batch.faults[.rowsWritten]?()
            try await stores.tallies.setCheckpoint(batch.position, projector: stores.projector, on: connection)
            try await batch.faults[.checkpointWritten]?()
        }
        timings.end(.commit)
        return timings
    }

    /// Folds the whole log again into fresh tables and swaps them in at once; the old tallies keep
    /// serving until the swap.
    ///
    /// The log is read with only the columns the fold needs, each event's hash checked (a row changed
    /// behind the server's back stops the rebuild with ``StoredEventError``, and the tables stay as they
    /// were); the stations are derived and their documents rendered on every core; the rows and the
    /// seats' sums are written with COPY. The log line says how long each step took.
    @discardableResult
    public func rebuild() async throws -> Int64 {
        let clock = ContinuousClock()
        var phase = clock.now
        func lap() -> Duration {
            let now = clock.now
            defer { phase = now }
            return now - phase
        }
        let replay = try await read(upTo: nil)
        let reading = lap()
        var fresh = await replay.finishOnEveryCore().tally
        let deriving = lap()
        let rows = await fresh.rowsOnEveryCore(for: fresh.allChanges)
        let rendering = lap()
        fresh.makePartial()
        let sums = fresh.takeChangedSums()
        let position = fresh.lastPosition
        try await tallies.replaceAll(with: rows, checkpoint: position, projector: options.name) { connection in
            try await self.states.replaceAll(with: sums, position: position, on: connection)
            try await self.snapshots.removeAll(on: connection)
            if self.options.snapshotEvery > 0 { try await self.snapshots.write(at: position, on: connection) }
        }
        let writing = lap()
        keep(fresh)
        feed.publish(TallyUpdate(position: fresh.lastPosition, changes: fresh.allChanges, isRebuild: true))
        logger.info(
            "tallies rebuilt",
            metadata: [
                "position": "\(fresh.lastPosition)", "rows": "\(rows.count)", "read": "\(reading)",
                "derive": "\(deriving)", "render": "\(rendering)", "write": "\(writing)",
            ])
        return fresh.lastPosition
    }

    /// Whether a checkpoint moving from `previous` to `position` reaches or passes a multiple of
    /// ``Options/snapshotEvery``.
    private func snapshotDue(from previous: Int64, to position: Int64) -> Bool {
        let every = Int64(options.snapshotEvery)
        return every > 0 && previous / every < position / every
    }

    /// The steps of a batch's transaction, where a test may inject a failure.
    enum Stage: Sendable {
        /// The seats' sums are written.
        case stateWritten
        /// The tally rows are written too.
        case rowsWritten
        /// The checkpoint is written too; the transaction has not committed.
        case checkpointWritten
    }

    /// For tests: a failure injected inside the write transaction, at one stage.
    private var faults: [Stage: @Sendable () async throws -> Void] = [:]

    func injectFault(at stage: Stage = .checkpointWritten, _ fault: (@Sendable () async throws -> Void)?) {
        faults[stage] = fault
    }

    /// After a start or a failure: the reference data and the seats' sums as of the stored checkpoint,
    /// read from the database, and no station held. State that is missing (a database the projector
    /// kept before it stored its state) or unreadable is made again by folding the log up to the
    /// checkpoint, once.
    private func resume() async throws {
        guard !isCaughtUp else { return }
        let (checkpoint, sums) = try await states.checkpointAndSums(of: options.name)
        // A page at a time: a national election's reference events are about 100,000.
        var resumption = ElectionTally.Resumption(at: checkpoint)
        try await states.forEachReferencePage(upTo: checkpoint, events: events) { resumption.take($0) }
        if let resumed = resumed(resumption, sums: sums) {
            keep(resumed)
        } else {
            var folded = try await fold(upTo: checkpoint)
            folded.makePartial()
            let sums = folded.takeChangedSums()
            // The official comparison is made from the sums: state written before it was lacks its row.
            var official = TallyChanges()
            official.official = true
            let rows = folded.rows(for: official)
            try await events.pool.withTransaction { connection in
                try await self.states.replaceAll(with: sums, position: checkpoint, on: connection)
                try await self.tallies.write(rows, on: connection, position: checkpoint)
            }
            keep(folded)
        }
        if checkpoint > 0 {
            logger.info("projector resumed from its checkpoint", metadata: ["position": "\(checkpoint)"])
        }
    }

    /// The fold as of `checkpoint` from its stored state; nil, with a warning, when that state is missing
    /// (a database kept before the state was) or unreadable.
    private func resumed(
        _ resumption: consuming ElectionTally.Resumption, sums: [(ConstituencyCode, [UInt8])]
    ) -> ElectionTally? {
        let checkpoint = resumption.position
        // Every defined station adds to its seats' sums: sums without stations, or stations without sums,
        // were not written together.
        var problem = "the seats' sums are missing"
        if sums.isEmpty != resumption.definesStations {
            do {
                return try resumption.finish(sums: sums)
            } catch {
                problem = error.description
            }
        }
        logger.warning(
            "projector state unreadable; folding the log up to the checkpoint",
            metadata: ["position": "\(checkpoint)", "problem": "\(problem)"])
        return nil
    }

    /// Lets the stations least recently touched go, down to the cache's bounds.
    private func evictOverflow() {
        // The fold is captured once: `self.tally` read in the closure would copy it for every station.
        let evicted = cache.overflow(factsHeld: tally.heldFactCount) { [tally] in
            tally.factCount(of: $0)
        }
        tally.evict(evicted)
    }

    /// Holds `fold` as the projector's, partial, within the cache's bounds.
    private func keep(_ fold: ElectionTally) {
        tally = fold
        checkpoint = fold.lastPosition
        cache.removeAll()
        cache.touch(tally.heldStations)
        evictOverflow()
        isCaughtUp = true
    }

    /// The tallies of the log, or of its part up to `last`, folded as one batch (``TallyReplay``), the
    /// stations derived on every core.
    private func fold(upTo last: Int64?) async throws -> ElectionTally {
        try await read(upTo: last).finishOnEveryCore().tally
    }

    /// The facts of the log, or of its part up to `last`, recorded page by page while the next pages are
    /// read and decoded on the other cores; only the columns a fold needs are read.
    private func read(upTo last: Int64?) async throws -> TallyReplay {
        var replay = TallyReplay(onto: ElectionTally())
        let head = try await events.head().position
        replay.reserveCapacity(events: Int(min(head, last ?? head)))
        try await events.forEachDecodedPage(upTo: last, pageSize: Self.foldPageSize, columns: .fold) {
            replay.add($0)
        }
        return replay
    }

    /// The events a whole-log fold reads at once: large pages, few round trips.
    public static let foldPageSize = 20_000

    /// Up to `limit` events after a position, rebuilt into the model's events.
    @inline(never)
    private static func decodedEvents(
        _ events: EventStore, after position: Int64, limit: Int
    ) async throws
        -> [StoredEvent]
    {
        try await events.foldEvents(after: position, limit: limit)
    }

    private func forget() {
        tally = ElectionTally()
        checkpoint = 0
        cache.removeAll()
        isCaughtUp = false
    }
}
