import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The one reader of the tallies for every live stream (`GET /v1/live`).
///
/// It listens for the projector's announcements (``TallyStore/notificationChannel``), whether the projector
/// runs in this process or another, reads what changed once per announcement, encodes it once as a
/// `tallies` event, keeps it in its ``LiveHistory`` and wakes every stream, which writes those same bytes.
/// No stream queries the database: 5,000 streams cost one read per change, and a stream resuming from an
/// old `Last-Event-ID` is served from the history, or told to reload.
///
/// Changes are read at most once every ``interval``: a change that comes sooner waits, and is read with
/// everything that came meanwhile. What the streams receive is then bounded by the interval, not by how
/// often the projector folds: at 2,000 events a second, nearly every seat changes in every fold.
///
/// It also sends every stream a heartbeat every ``heartbeat``, and checks the devices of the open
/// streams, all in one query every ``endedCheckInterval``, for credentials that no longer work: their
/// streams end.
public final class LiveFeed: Service, Sendable {
    let streams: LiveStreams
    private let history: Mutex<LiveHistory>
    /// What the events so far have sent of each seat, district and city document.
    private let baseline = Mutex(LiveBaseline())
    private let pool: PostgresPool
    private let credentials: CredentialStore
    private let interval: Duration
    private let heartbeat: Duration
    private let endedCheckInterval: Duration
    private let logger: Logger

    /// Changes larger than this many rows (a rebuild of a large election) are not sent as one event:
    /// streams are told to reload instead.
    static let largestChange = 10_000

    /// A feed whose history of `historyEvents` events starts at `position`, the projector's checkpoint
    /// when the server starts.
    init(
        position: Int64, historyEvents: Int, streams: LiveStreams, pool: PostgresPool, credentials: CredentialStore,
        interval: Duration, heartbeat: Duration, endedCheckInterval: Duration, logger: Logger
    ) {
        self.history = Mutex(LiveHistory(position: position, maximumEvents: historyEvents))
        self.streams = streams
        self.pool = pool
        self.credentials = credentials
        self.interval = interval
        self.heartbeat = heartbeat
        self.endedCheckInterval = endedCheckInterval
        self.logger = logger
    }

    /// The position of the last change read.
    var position: Int64 { history.withLock { $0.position } }

    /// What to send a stream that has sent everything up to `cursor`.
    func catchUp(after cursor: Int64) -> LiveHistory.CatchUp {
        history.withLock { $0.catchUp(after: cursor) }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.follow() }
                group.addTask { await self.beat() }
                group.addTask { await self.endStreamsOfEndedDevices() }
            }
        }
        streams.signals.finish()
    }

    /// Listens for the projector's announcements and reads each change, until cancelled; after a lost
    /// connection, listens again and reads what changed meanwhile.
    private func follow() async {
        let listening = await pool.configuration.with(applicationName: "fieldsync live")
        await listening.withNotifications(
            on: TallyStore.notificationChannel, coalescing: interval, logger: logger
        ) { wakes in
            for await _ in wakes {
                do {
                    try await RetryPause.untilSuccess("cannot read the tallies' changes; will retry", logger: logger) {
                        try await readChanges()
                    }
                } catch {
                    return  // cancelled
                }
            }
        }
    }

    /// Reads the rows changed since the last event, with the checkpoint they are as of, in one snapshot;
    /// encodes them once as the next event (the seats', districts' and city's changed members) and once
    /// with those documents whole (``LiveHistory/Entry/whole``); wakes the streams.
    private func readChanges() async throws {
        let after = position
        let changed = try await TallyStore(pool: pool).changedDocuments(after: after, limit: Self.largestChange + 1)
        let position = changed.position
        guard !changed.documents.isEmpty, position > after else { return }
        if changed.documents.count > Self.largestChange {
            baseline.withLock { $0.removeAll() }
            history.withLock { $0.restart(at: position) }
            streams.signals.publish(.tallies(position: position))
            return
        }
        // Taken, leaving an empty one: should this read fail, the next event carries every member.
        var sent = baseline.withLock { baseline in
            defer { baseline = LiveBaseline() }
            return baseline
        }
        let changes = try LiveChanges(changed, after: after, baseline: &sent)
        baseline.withLock { $0 = sent }
        let entry = LiveHistory.Entry(
            after: after, position: position,
            event: LiveEvent(FieldSyncServer.serverSentEvent("tallies", id: position, data: changes.members)),
            whole: LiveEvent(FieldSyncServer.serverSentEvent("tallies", id: position, data: changes.whole)))
        history.withLock { $0.append(entry) }
        streams.signals.publish(.tallies(position: position))
    }

    private func beat() async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: heartbeat)) != nil else { return }
            streams.signals.publish(.heartbeat)
        }
    }

    /// Every ``endedCheckInterval``: one query for the devices of every open stream; the streams of
    /// those whose credentials no longer work (revoked, or their token expired) end.
    private func endStreamsOfEndedDevices() async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: endedCheckInterval)) != nil else { return }
            let devices = streams.devices
            guard !devices.isEmpty else { continue }
            do {
                let ended = try await credentials.endedDevices(among: Array(devices))
                streams.end(ended) { device in
                    "the credentials of device \(device) no longer work (revoked or expired): it can no longer "
                        + "follow the live tallies"
                }
            } catch {
                logger.warning("cannot check the live streams' devices", metadata: ["error": "\(error)"])
            }
        }
    }
}
