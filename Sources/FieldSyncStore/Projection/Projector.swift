import FieldSyncModel
import FieldSyncTally
import Logging
import ServiceLifecycle

/// Folds the event log into the tally tables and keeps them current.
///
/// It reads the events after its checkpoint in position order, applies them to the fold
/// (``ElectionTally``), and writes the rows they changed together with the new checkpoint in one
/// transaction: a crash at any instant leaves the tables and the checkpoint consistent, and a restart
/// folds the log up to the checkpoint in memory and resumes after it. It wakes on the event store's
/// notifications, and polls as a fallback. After each batch it announces what changed (``feed``, and a
/// notification on ``TallyStore/notificationChannel`` for other processes).
public actor Projector: Service {
    public struct Options: Sendable {
        /// The projector's name in `projector_checkpoints`.
        public var name = "tallies"
        /// The most events folded per transaction.
        public var batchSize = 5_000
        /// How long to wait for a notification before looking anyway.
        public var pollMilliseconds: Int32 = 1_000

        public init() {}
    }

    public let options: Options
    public nonisolated let feed = Broadcast<TallyUpdate>()
    private let events: EventStore
    private let tallies: TallyStore
    private let logger: Logger
    private var tally: ElectionTally
    private var isCaughtUp = false

    public init(events: EventStore, options: Options = Options(), logger: Logger = Logger(label: "fieldsync.projector"))
    {
        self.events = events
        self.tallies = TallyStore(pool: events.pool)
        self.options = options
        self.logger = logger
        self.tally = ElectionTally()
    }

    /// The position of the last event folded and written.
    public var checkpoint: Int64 { tally.lastPosition }

    /// The tallies in memory, as written (for reads that must not wait on the database).
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
    @discardableResult
    public func applyPending() async throws -> Int64 {
        try await catchUpInMemory()
        while true {
            let stored = try await Self.decodedEvents(events, after: tally.lastPosition, limit: options.batchSize)
            guard !stored.isEmpty else { return tally.lastPosition }
            let changes = tally.apply(stored)
            let position = tally.lastPosition
            let rows = tally.rows(for: changes)
            do {
                try await events.pool.withTransaction { connection in
                    try await self.tallies.write(
                        rows, checkpoint: position, projector: self.options.name, on: connection)
                    try await self.faultAfterWritingRows?()
                }
            } catch {
                // The tables did not move: neither may the memory.
                forget()
                throw error
            }
            feed.publish(TallyUpdate(position: position, changes: changes, isRebuild: false))
        }
    }

    /// Folds the whole log again into fresh tables and swaps them in at once; the old tallies keep
    /// serving until the swap.
    @discardableResult
    public func rebuild() async throws -> Int64 {
        let fresh = try await fold(upTo: nil)
        let rows = fresh.rows(for: fresh.allChanges)
        try await tallies.replaceAll(with: rows, checkpoint: fresh.lastPosition, projector: options.name)
        tally = fresh
        isCaughtUp = true
        feed.publish(TallyUpdate(position: fresh.lastPosition, changes: fresh.allChanges, isRebuild: true))
        logger.info("tallies rebuilt", metadata: ["position": "\(fresh.lastPosition)", "rows": "\(rows.count)"])
        return fresh.lastPosition
    }

    /// For tests: a failure injected inside the write transaction, after the rows and before the commit.
    var faultAfterWritingRows: (@Sendable () async throws -> Void)?

    func injectFault(_ fault: (@Sendable () async throws -> Void)?) {
        faultAfterWritingRows = fault
    }

    /// After a start or a failure: fold the log up to the stored checkpoint in memory, writing nothing.
    private func catchUpInMemory() async throws {
        guard !isCaughtUp else { return }
        let checkpoint = try await tallies.checkpoint(of: options.name)
        tally = try await fold(upTo: checkpoint)
        isCaughtUp = true
        if checkpoint > 0 {
            logger.info("projector resumed from its checkpoint", metadata: ["position": "\(checkpoint)"])
        }
    }

    /// The tallies of the log, or of its part up to `last`, folded as one batch (``TallyReplay``), while
    /// the next pages are read and decoded on the other cores.
    private func fold(upTo last: Int64?) async throws -> ElectionTally {
        var replay = TallyReplay(onto: ElectionTally())
        try await events.forEachDecodedPage(upTo: last, pageSize: options.batchSize) { replay.add($0) }
        return replay.finish().tally
    }

    /// Up to `limit` events after a position, rebuilt into the model's events.
    private static func decodedEvents(
        _ events: EventStore, after position: Int64, limit: Int
    ) async throws
        -> [StoredEvent]
    {
        guard limit > 0 else { return [] }
        return try EventStore.decode(try await events.events(after: position, limit: limit))
    }

    private func forget() {
        tally = ElectionTally()
        isCaughtUp = false
    }
}
