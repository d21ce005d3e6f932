import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import Logging

/// The FieldSync sync server: enrollment, pushes, reads, on one event store.
///
/// Made by ``prepare(configuration:pool:events:key:logger:)``, which makes sure the log starts with
/// this server's identity and reads the reference data. ``makeApplication(onRunning:)`` gives the HTTP
/// side; ``services(application:)`` everything to run in one `ServiceGroup`.
public struct FieldSyncServer: Sendable {
    public let configuration: ServerConfiguration
    public let pool: PostgresPool
    /// The event store. Use this one everywhere in the process: it remembers device heads between appends.
    public let events: EventStore
    /// Signs and appends the server's own events.
    public let author: ServerAuthor
    public let reference: ReferenceCache
    public let metrics: ServerMetrics
    public let codes: EnrollmentCodes
    /// Reads each tally change once for every live stream, and holds the open streams.
    public let live: LiveFeed
    public let credentials: CredentialStore
    /// Where refused credentials and enrollment codes are logged, a line per client a minute at most.
    let failures: FailureLog
    /// The wrong enrollment codes of late, per client address and in all.
    let enrollmentThrottle: EnrollmentThrottle
    /// Bounds the tallies as of a past moment computed at once.
    let replays: Slots
    /// The last time-travel fold station by station, for the next request at its cutoff (a service of
    /// ``services(application:extra:)``, which forgets it unused).
    let lastFold = TallyTimeTravel.LastFold()
    /// Bounds the exports of the log sent at once.
    let exports: Slots
    /// Bounds the photo uploads received at once.
    let photoUploads: Slots
    /// Holds photos' pieces back while batches of events are being stored.
    let eventsFirst: EventsFirst
    /// How fast each device may push.
    let pushRates: PushRates
    /// Signs and keeps the tree heads it shows.
    let treeHeads: TreeHeadSigner
    public let logger: Logger

    /// How many pieces of photos wait now for batches of events being stored (``EventsFirst``).
    public var photoPiecesWaitingForEvents: Int { eventsFirst.piecesWaiting }

    /// The server's public key, which the log's identity event announces.
    public var publicKey: PublicKey { author.key.publicKey }

    /// Prepares a server on a migrated database: appends this server's identity to a log that has none,
    /// or checks that the log's identity is this key, and reads the reference data.
    ///
    /// Throws ``ServerIdentityMismatch`` when the log was started by another key.
    public static func prepare(
        configuration: ServerConfiguration = ServerConfiguration(), pool: PostgresPool, events: EventStore,
        key: SigningKey, logger: Logger = Logger(label: "fieldsync.server")
    ) async throws -> FieldSyncServer {
        let metrics = ServerMetrics()
        let credentials = CredentialStore(pool: pool)
        let live = LiveFeed(
            position: try await TallyStore(pool: pool).checkpoint(of: "tallies"),
            historyEvents: configuration.liveHistoryEvents,
            streams: LiveStreams(
                total: configuration.maximumLiveStreams, perDevice: configuration.maximumLiveStreamsPerDevice,
                gauge: metrics.liveStreams),
            pool: pool, credentials: credentials, interval: configuration.liveInterval,
            heartbeat: .seconds(configuration.heartbeatSeconds),
            endedCheckInterval: configuration.endedStreamCheckInterval, logger: logger)
        let server = FieldSyncServer(
            configuration: configuration, pool: pool, events: events, author: ServerAuthor(key: key, store: events),
            reference: ReferenceCache(store: events), metrics: metrics,
            codes: EnrollmentCodes(pool: pool, serverKey: key.publicKey),
            live: live, credentials: credentials, failures: FailureLog(logger: logger),
            enrollmentThrottle: EnrollmentThrottle(
                perAddress: configuration.enrollmentAttempts.perAddress, total: configuration.enrollmentAttempts.total,
                window: .seconds(configuration.enrollmentAttempts.windowSeconds)),
            replays: Slots(limit: configuration.maximumConcurrentReplays, busy: Problem.replaysBusy),
            exports: Slots(limit: configuration.maximumConcurrentExports, busy: Problem.exportsBusy),
            photoUploads: Slots(limit: configuration.maximumConcurrentPhotoUploads, busy: Problem.photoUploadsBusy),
            eventsFirst: EventsFirst(patience: configuration.photoPieceWaitForEvents),
            pushRates: PushRates(rate: configuration.pushEventsPerSecond, burst: configuration.pushBurstEvents),
            treeHeads: TreeHeadSigner(events: events, key: key, interval: configuration.treeHeadInterval),
            logger: logger)
        try await server.identify()
        return server
    }

    /// The time written on the server's own events: now, in the election's local time (UTC before the
    /// log defines an election).
    func now() async -> ObservedTime {
        ObservedTime(Timestamp.now(), offsetMinutes: await reference.snapshot.data.election?.utcOffsetMinutes ?? 0)
    }

    private func identify() async throws {
        var snapshot = try await reference.refresh()
        if snapshot.data.server == nil {
            let identity = EventDraft(
                payload: .serverIdentified(ServerIdentity(publicKey: publicKey, name: configuration.serverName)),
                time: await now())
            do {
                _ = try await author.append([identity]) { connection, appended in
                    // Another process may have identified the log since it was read: keep one identity.
                    let earlier = try await connection.query(
                        """
                        SELECT 1 FROM events WHERE type = \(EventType.serverIdentified.rawValue)
                        AND position < \(appended.positions[0]) LIMIT 1
                        """)
                    if !earlier.isEmpty { throw IdentifiedMeanwhile() }
                }
                logger.info("the log starts with this server's identity")
            } catch is IdentifiedMeanwhile {
                await author.forgetChain()
            }
            snapshot = try await reference.refresh()
        }
        guard let identity = snapshot.data.server, let position = snapshot.identityPosition else {
            throw ServerChainError("the log has no server identity after appending one")
        }
        guard identity.publicKey == publicKey else {
            throw ServerIdentityMismatch(logKey: identity.publicKey, position: position, fileKey: publicKey)
        }
    }

    /// Loads a demo's reference data (the election, constituencies, stations, candidates; Karachi's unless
    /// another is given), signed by this server, when the log has no constituency yet; to a demo log begun
    /// before elections were data, only the election. Returns how many events were appended.
    @discardableResult
    public func loadDemoReferenceData(
        _ demo: any ElectionDemo = KarachiDemo(), batchSize: Int = 5000
    ) async throws
        -> Int
    {
        let data = try await reference.refresh().data
        if !data.constituencies.isEmpty {
            guard data.election == nil else { return 0 }
            try await author.append([EventDraft(payload: .electionDefined(demo.election), time: await now())])
            try await reference.refresh()
            logger.info(
                "defined the demo's election in a log that had none", metadata: ["election": "\(demo.election.id)"])
            return 1
        }
        // Each batch's drafts are made when it is stored: all of a national demo's at once would be the
        // server's peak of memory.
        let count = demo.referenceDraftCount
        for start in stride(from: 0, to: count, by: batchSize) {
            try await author.append(demo.referenceDrafts(start..<min(start + batchSize, count)))
        }
        try await reference.refresh()
        logger.info(
            "loaded the demo reference data", metadata: ["election": "\(demo.election.id)", "events": "\(count)"])
        return count
    }
}

/// Thrown inside an identity append that found another identity stored first.
private struct IdentifiedMeanwhile: Error {}

/// The log was started by another server key than the one this server holds.
public struct ServerIdentityMismatch: Error, Sendable, CustomStringConvertible {
    public var logKey: PublicKey
    public var position: Int64
    public var fileKey: PublicKey

    public var description: String {
        "the log's server identity (position \(position)) is the key \(logKey), but this server's key is \(fileKey): "
            + "start with the key file that began this log, or with a new database"
    }
}
