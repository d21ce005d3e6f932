import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `fieldsync serve`: the server, on an embedded PostgreSQL cluster unless given a database URL.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the FieldSync server: PostgreSQL (embedded unless --database-url), migrations, API.",
        discussion: """
            With no --database-url, the server starts a private PostgreSQL cluster in its data folder \
            (made on first start) and stops it on exit: the cluster's owner role applies the migrations, and \
            the server connects as fieldsync_server, which may append and read events but never alter the \
            table or switch its triggers off. With --database-url, give fieldsync_server's URL on a server set \
            up with Deploy/postgresql-roles.sql, migrated first by its owner with `fieldsync migrate` (see \
            Deploy/ROLES.md). The server's signing key is made on first start in the data folder \
            (server-key.pem). SIGINT or SIGTERM shut it down gracefully: requests in flight finish, then the \
            database closes.

            GET /metrics needs an admin device's token; --metrics-address also serves the metrics, and \
            nothing else, without credentials on an address of its own (keep it on loopback or a private \
            network). Wrong enrollment codes are counted per client address (behind a proxy on this \
            machine, the last address of X-Forwarded-For) and in all over ten minutes; past the limits, \
            POST /v1/enroll answers 429 with Retry-After.

            \(ExitStatus.helpText())
            """
    )

    @Option(
        name: .customLong("database-url"),
        help:
            "An existing PostgreSQL server, as the server's role: postgresql://fieldsync_server:PASSWORD@HOST:PORT/DB (default: $FIELDSYNC_DATABASE_URL)."
    )
    var databaseURLOption: String?

    private var databaseURL: String? { DataDirectory.databaseURL(databaseURLOption) }

    @Option(
        name: .customLong("data-dir"),
        help:
            "The server's data folder (default: $FIELDSYNC_DATA_DIR, else /var/lib/fieldsync as root, else ~/.local/share/fieldsync)."
    )
    var dataDirectory: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Flag(
        help: """
            Load a demo's reference data if the log has none, and print how to enroll a reporter: Karachi 2024, \
            or with `--demo pakistan` every seat and station of Pakistan 2024 (synthetic).
            """)
    var demo = false

    @Argument(
        help: ArgumentHelp(
            "With --demo, which election: karachi (the default) or pakistan.", valueName: "DEMO"))
    var demoElection: DemoElection?

    @Flag(
        name: .customLong("no-projector"),
        help: "Do not fold events into tallies in this process (run `fieldsync project` beside it instead).")
    var noProjector = false

    @Option(name: .customLong("batch-limit"), help: "The most events one push may carry.")
    var batchLimit = 1000

    @Option(name: .customLong("body-limit"), help: "The largest request body accepted, in bytes.")
    var bodyLimit = 4 << 20

    @Option(
        name: .customLong("replay-limit"),
        help: ArgumentHelp(
            "How many tallies as of a past moment (?position=, ?asOf=) are computed at once; more get 503. 0 turns them off.",
            valueName: "N"))
    var replayLimit = 2

    @Option(
        name: .customLong("header-timeout"),
        help: ArgumentHelp(
            "Seconds a new connection has to send its first request's head; then it is closed.", valueName: "SECONDS"))
    var headerTimeout = 10.0

    @Option(
        name: .customLong("body-timeout"),
        help: ArgumentHelp(
            "Seconds a request has to send its whole body after its head; then the connection is closed.",
            valueName: "SECONDS"))
    var bodyTimeout = 60.0

    @Option(
        name: .customLong("idle-timeout"),
        help: ArgumentHelp(
            "Seconds a connection may wait after an answer for its next request's head; then it is closed.",
            valueName: "SECONDS"))
    var idleTimeout = 75.0

    @Option(
        name: .customLong("live-limit"),
        help: ArgumentHelp("The most live streams (GET /v1/live) open at once; more get 503.", valueName: "N"))
    var liveLimit = 5_000

    @Option(
        name: .customLong("live-per-device"),
        help: ArgumentHelp("The most live streams one device may hold open; more get 429.", valueName: "N"))
    var livePerDevice = 4

    @Option(
        name: .customLong("live-interval"),
        help: ArgumentHelp(
            "Seconds between two live events at most: changes that come sooner go together in the next.",
            valueName: "SECONDS"))
    var liveInterval = 1.0

    @Option(
        name: .customLong("tree-head-interval"),
        help: ArgumentHelp(
            "Seconds between two signed tree heads at least: while events arrive, readers sooner get the last.",
            valueName: "SECONDS"))
    var treeHeadInterval = 2.0

    @Option(
        name: .customLong("export-limit"),
        help: ArgumentHelp(
            "How many exports of the log (GET /v1/events) are sent at once; more get 503.", valueName: "N"))
    var exportLimit = 4

    @Option(
        name: .customLong("photo-upload-limit"),
        help: ArgumentHelp(
            "How many photo uploads (PUT /v1/photos/…) are received at once; more get 503.", valueName: "N"))
    var photoUploadLimit = 32

    @Option(
        name: .customLong("photo-wait-for-events"),
        help: ArgumentHelp(
            "How long a piece of a photo waits, at most, while batches of events are being stored (events go "
                + "before photos); 0 for no wait.", valueName: "SECONDS"))
    var photoWaitForEvents = 2.0

    @Option(
        name: .customLong("bundle-limit"),
        help: ArgumentHelp("The largest bundle (POST /v1/bundles) accepted, in bytes.", valueName: "BYTES"))
    var bundleLimit = 256 << 20

    @Option(
        name: .customLong("photo-upload-expires"),
        help: ArgumentHelp(
            "How long the pieces of a photo upload that stopped are kept (such as 48h or 2d); then the upload "
                + "starts again from byte 0.", valueName: "DURATION"))
    var photoUploadExpires = "48h"

    @Option(
        name: .customLong("push-rate"),
        help: ArgumentHelp(
            "Events a second one device may push on average; beyond, pushes get 429. 0 for no limit.",
            valueName: "EVENTS"))
    var pushRate = 200.0

    @Option(
        name: .customLong("push-burst"),
        help: ArgumentHelp(
            "Events one device may push at once above its rate (at least --batch-limit).", valueName: "EVENTS"))
    var pushBurst = 10_000

    @Option(
        name: .customLong("conflicts-per-device"),
        help: ArgumentHelp(
            "Conflicting events recorded per device; beyond, conflicts are answered but not recorded, and counted.",
            valueName: "N"))
    var conflictsPerDevice = 1_000

    @Option(
        name: .customLong("browser-sign-in-expires"),
        help: ArgumentHelp(
            "How long an editor's dashboard sign-in lasts when its code does not say (30m, 24h, 7d, or never).",
            valueName: "DURATION"))
    var browserSignInExpires = "24h"

    @Option(
        name: .customLong("enrollment-attempts"),
        help: ArgumentHelp(
            "Wrong enrollment codes one client address may send in 10 minutes; more get 429 with Retry-After.",
            valueName: "N"))
    var enrollmentAttempts = EnrollmentAttemptLimits().perAddress

    @Option(
        name: .customLong("enrollment-attempts-total"),
        help: ArgumentHelp(
            "Wrong enrollment codes all clients together may send in 10 minutes; more get 429 with Retry-After.",
            valueName: "N"))
    var enrollmentAttemptsTotal = EnrollmentAttemptLimits().total

    @Option(
        name: .customLong("metrics-address"),
        help: ArgumentHelp(
            "Also serve GET /metrics without credentials on this address, for Prometheus (such as 127.0.0.1:9464)."
                + " On the API, /metrics needs an admin's token.",
            valueName: "HOST:PORT"))
    var metricsAddress: String?

    @Option(
        name: .customLong("station-cache"),
        help: ArgumentHelp(
            "The most polling stations the projector keeps in memory between batches; the others are read from"
                + " the database when new events touch them.",
            valueName: "N"))
    var stationCache = Projector.Options().stationCache

    @Option(
        name: .customLong("station-cache-events"),
        help: ArgumentHelp(
            "The most events the polling stations in memory hold between batches, summed; the least recently"
                + " touched stations are let go first, so the memory stays flat however long the log.",
            valueName: "N"))
    var stationCacheEvents = Projector.Options().stationCacheEvents

    @Option(
        name: .customLong("snapshot-every"),
        help: ArgumentHelp(
            "Keep the seats' sums every N events, so that a tally as of a past position or time (?position=,"
                + " ?asOf=, tally --as-of) folds at most about N events; 0 keeps none.",
            valueName: "N"))
    var snapshotEvery = Projector.Options().snapshotEvery

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let demoElection, !demo {
            throw ValidationError("'\(demoElection.rawValue)' names a demo: give it after --demo")
        }
        guard stationCache >= 0, stationCacheEvents >= 0 else {
            throw ValidationError("--station-cache and --station-cache-events must be 0 or more")
        }
        guard snapshotEvery >= 0 else { throw ValidationError("--snapshot-every must be 0 or more") }
        guard batchLimit > 0, bodyLimit > 0, bundleLimit > 0 else {
            throw ValidationError("--batch-limit, --body-limit and --bundle-limit must be positive")
        }
        guard replayLimit >= 0 else { throw ValidationError("--replay-limit must be 0 or more") }
        for (name, seconds) in [("header", headerTimeout), ("body", bodyTimeout), ("idle", idleTimeout)] {
            guard seconds > 0 && seconds <= 86_400 else {
                throw ValidationError("--\(name)-timeout must be more than 0 seconds and at most 86400 (a day)")
            }
        }
        guard liveInterval >= 0 && liveInterval <= 60 else {
            throw ValidationError("--live-interval must be from 0 to 60 seconds")
        }
        guard photoWaitForEvents >= 0 && photoWaitForEvents <= 60 else {
            throw ValidationError("--photo-wait-for-events must be from 0 to 60 seconds")
        }
        guard treeHeadInterval >= 0 && treeHeadInterval <= 3600 else {
            throw ValidationError("--tree-head-interval must be from 0 to 3600 seconds")
        }
        guard liveLimit > 0, livePerDevice > 0, exportLimit > 0 else {
            throw ValidationError("--live-limit, --live-per-device and --export-limit must be positive")
        }
        guard pushRate >= 0, pushRate.isFinite else { throw ValidationError("--push-rate must be 0 or more") }
        guard pushBurst >= batchLimit else {
            throw ValidationError("--push-burst (\(pushBurst)) must be at least --batch-limit (\(batchLimit))")
        }
        guard conflictsPerDevice >= 0 else { throw ValidationError("--conflicts-per-device must be 0 or more") }
        guard browserSignInExpires == "never" || Lifetime.seconds(browserSignInExpires) != nil else {
            throw ValidationError(
                "--browser-sign-in-expires must be a duration such as 30m, 24h or 7d, or never;"
                    + " not '\(browserSignInExpires)'")
        }
        guard Lifetime.seconds(photoUploadExpires) != nil else {
            throw ValidationError(
                "--photo-upload-expires must be a duration such as 30m, 48h or 2d; not '\(photoUploadExpires)'")
        }
        guard enrollmentAttempts > 0, enrollmentAttemptsTotal > 0 else {
            throw ValidationError("--enrollment-attempts and --enrollment-attempts-total must be positive")
        }
        if let metricsAddress, ListenAddress(metricsAddress) == nil {
            throw ValidationError(
                "--metrics-address must be HOST:PORT, such as 127.0.0.1:9464; not '\(metricsAddress)'")
        }
    }

    func run() async throws {
        AllocatorArenas.limit()
        let logger = Logger(label: "fieldsync.serve")
        let folder = dataDirectory ?? DataDirectory.serverDefault
        let api = Self.apiURL(host: host, port: port)
        Console.line("FieldSync: dashboard \(api)/ · API \(api)/v1 · data in \(folder) · Ctrl-C to stop")
        try await CommandFailure.reporting {
            let key = try ServerKeyFile.loadOrCreate(at: ServerKeyFile.path(in: folder))
            let database = try await FieldSyncDatabase.open(
                databaseURL.map { .url($0) } ?? .embedded(dataDirectory: folder), logger: logger)
            do {
                try await serve(database: database, key: key, folder: folder, logger: logger)
            } catch {
                ServerStateFile.remove(in: folder)
                await database.close()
                throw error
            }
            ServerStateFile.remove(in: folder)
            await database.close()
            Console.line("FieldSync stopped.")
        }
    }

    /// Where a newcomer reaches the server: the listening address, or this machine's when it listens on all.
    static func apiURL(host: String, port: Int) -> String {
        let shownHost = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        return "http://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)"
    }

    private func serve(
        database: FieldSyncDatabase, key: SigningKey, folder: String, logger: Logger
    ) async throws {
        var configuration = ServerConfiguration(
            host: host, port: port, maximumBatchEvents: batchLimit, maximumBodyBytes: bodyLimit,
            maximumConcurrentReplays: replayLimit,
            timeouts: HTTPTimeouts(
                header: .seconds(headerTimeout), body: .seconds(bodyTimeout), idle: .seconds(idleTimeout)),
            maximumLiveStreams: liveLimit, maximumLiveStreamsPerDevice: livePerDevice,
            liveInterval: .seconds(liveInterval),
            maximumConcurrentExports: exportLimit, pushEventsPerSecond: pushRate, pushBurstEvents: pushBurst,
            maximumRecordedConflictsPerDevice: conflictsPerDevice)
        configuration.browserSignInSeconds = Lifetime.seconds(browserSignInExpires)
        configuration.maximumConcurrentPhotoUploads = photoUploadLimit
        configuration.photoPieceWaitForEvents = .milliseconds(Int64(photoWaitForEvents * 1000))
        configuration.maximumBundleBytes = bundleLimit
        configuration.abandonedPhotoUploadAge = .seconds(Lifetime.seconds(photoUploadExpires) ?? 2 * 86_400)
        configuration.treeHeadInterval = .seconds(treeHeadInterval)
        configuration.enrollmentAttempts.perAddress = enrollmentAttempts
        configuration.enrollmentAttempts.total = enrollmentAttemptsTotal
        configuration.metricsAddress = metricsAddress.flatMap(ListenAddress.init)
        let server: FieldSyncServer
        do {
            server = try await FieldSyncServer.prepare(
                configuration: configuration, pool: database.pool, events: database.events, key: key, logger: logger)
        } catch let mismatch as ServerIdentityMismatch {
            throw ServerStateError("\(mismatch) (key file: \(ServerKeyFile.path(in: folder)))")
        }
        if demo {
            let chosen = demoElection ?? .karachi
            let started = ContinuousClock.now
            let loaded = try await server.loadDemoReferenceData(chosen.demo)
            if loaded > 0 {
                Console.line(
                    "Loaded the \(chosen.title) demo reference data: \(loaded) events in "
                        + String(format: "%.1f", (ContinuousClock.now - started) / .seconds(1)) + " s.")
            }
        }
        let embedded = database.cluster == nil ? nil : database.configuration
        let demo = self.demo
        let enrollLocation =
            (dataDirectory.map { " --data-dir \($0)" } ?? "") + (databaseURL == nil ? "" : " --database-url URL")
        let (host, configuredPort) = (self.host, port)
        let application = server.makeApplication { port in
            // With --port 0 the port is known only now.
            let api = ServeCommand.apiURL(host: host, port: port)
            if configuredPort == 0 { Console.line("FieldSync listening: API \(api)/v1") }
            do {
                try ServerStateFile(api: api, processID: getpid(), database: embedded).write(in: folder)
            } catch {
                logger.warning(
                    "cannot write server.json: admin commands will not find this server",
                    metadata: ["error": "\(error)"])
            }
            if demo {
                Console.line(
                    "Enroll a reporter:   fieldsync admin enroll --role reporter --name \"Reporter One\"\(enrollLocation)"
                )
                Console.line("then on the laptop:  fieldsync init --server \(api) --code <the code it printed>")
            }
        }
        var projectorOptions = Projector.Options()
        projectorOptions.stationCache = stationCache
        projectorOptions.stationCacheEvents = stationCacheEvents
        projectorOptions.snapshotEvery = snapshotEvery
        let projector: [any Service] =
            noProjector
            ? []
            : [Projector(events: database.events, options: projectorOptions, logger: logger)]
        let metricsHost = configuration.metricsAddress?.host ?? ""
        let metrics: [any Service] =
            server.makeMetricsApplication { port in
                Console.line("FieldSync metrics: http://\(ListenAddress(host: metricsHost, port: port))/metrics")
            }.map { [$0] } ?? []
        let group = ServiceGroup(
            configuration: .init(
                services: server.services(
                    application: application, extra: projector + metrics + [FreedMemoryRelease()]),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
