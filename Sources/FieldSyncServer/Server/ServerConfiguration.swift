import FieldSyncModel

/// How a FieldSync server runs: where it listens, its limits, and what it validates against.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 for any free port (see ``FieldSyncServer/makeApplication(onRunning:)``).
    public var port: Int
    /// The most events one `POST /v1/events` may carry.
    public var maximumBatchEvents: Int
    /// The largest request body accepted, in bytes.
    public var maximumBodyBytes: Int
    /// The name the server announces in its identity event.
    public var serverName: String
    /// How long `GET /v1/events` pages are, in events.
    public var exportPageSize: Int
    /// How often a live stream (`GET /v1/live`) sends a heartbeat, in seconds.
    public var heartbeatSeconds: Int
    /// How many tallies as of a past moment (`?position=`, `?asOf=`) are computed at once; more at the same
    /// time are answered 503. Each folds the whole log up to its cutoff in memory. 0 turns them off.
    public var maximumConcurrentReplays: Int
    /// How long a connection may take to send a request's head, its body, and the next request (see
    /// ``HTTPTimeouts``); past it the connection is closed.
    public var timeouts: HTTPTimeouts
    /// The most live streams (`GET /v1/live`) open at once; more are answered 503 `live-streams-full`.
    public var maximumLiveStreams: Int
    /// The most live streams one device may hold open; more are answered 429 `too-many-live-streams`.
    public var maximumLiveStreamsPerDevice: Int
    /// How often, at most, live streams are sent what changed: every change is read once for all
    /// streams, and those that come sooner wait and go together in the next event.
    public var liveInterval: Duration
    /// How many of the latest live events the server keeps in memory (16 MiB at most), for streams that
    /// fall behind and clients that resume with `Last-Event-ID`; one resuming from further back is told to
    /// reload.
    public var liveHistoryEvents: Int
    /// How often the devices of the open live streams are checked, in one query, for credentials that no
    /// longer work (revoked); their streams are closed. Half a second, so that they close within a second.
    public var endedStreamCheckInterval: Duration
    /// How many exports of the log (`GET /v1/events`) are sent at once; more are answered 503 `exports-busy`.
    public var maximumConcurrentExports: Int
    /// The events a second one device may push, on average (see ``PushRates``); 0 for no limit. Beyond
    /// it a push is answered 429 `push-rate-limited`.
    public var pushEventsPerSecond: Double
    /// The most events one device may push in a burst, above its rate: at least ``maximumBatchEvents``.
    public var pushBurstEvents: Int
    /// The most conflicts recorded in `event_conflicts` for one device. Conflicts beyond it are answered
    /// as conflicts all the same, not recorded, and counted in `fieldsync_conflicts_not_recorded_total`.
    public var maximumRecordedConflictsPerDevice: Int
    /// The least time between two signed tree heads (see `TreeHeadSigner`): a reader asking sooner, while
    /// events arrive, is shown the last head.
    public var treeHeadInterval: Duration = .seconds(2)

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBatchEvents: Int = 1000,
        maximumBodyBytes: Int = 4 << 20, serverName: String = "FieldSync Karachi 2024",
        exportPageSize: Int = 1000, heartbeatSeconds: Int = 15,
        maximumConcurrentReplays: Int = 2, timeouts: HTTPTimeouts = HTTPTimeouts(), maximumLiveStreams: Int = 5_000,
        maximumLiveStreamsPerDevice: Int = 4, liveInterval: Duration = .seconds(1), liveHistoryEvents: Int = 256,
        endedStreamCheckInterval: Duration = .milliseconds(500),
        maximumConcurrentExports: Int = 4, pushEventsPerSecond: Double = 200, pushBurstEvents: Int = 10_000,
        maximumRecordedConflictsPerDevice: Int = 1_000
    ) {
        self.host = host
        self.port = port
        self.maximumBatchEvents = maximumBatchEvents
        self.maximumBodyBytes = maximumBodyBytes
        self.serverName = serverName
        self.exportPageSize = exportPageSize
        self.heartbeatSeconds = heartbeatSeconds
        self.maximumConcurrentReplays = maximumConcurrentReplays
        self.timeouts = timeouts
        self.maximumLiveStreams = maximumLiveStreams
        self.maximumLiveStreamsPerDevice = maximumLiveStreamsPerDevice
        self.liveInterval = liveInterval
        self.liveHistoryEvents = liveHistoryEvents
        self.endedStreamCheckInterval = endedStreamCheckInterval
        self.maximumConcurrentExports = maximumConcurrentExports
        self.pushEventsPerSecond = pushEventsPerSecond
        self.pushBurstEvents = pushBurstEvents
        self.maximumRecordedConflictsPerDevice = maximumRecordedConflictsPerDevice
    }

    /// How long the token of an editor's browser signing in to the dashboard (an editor enrolled without a
    /// key of its own) lives, when its code does not say: `serve --browser-sign-in-expires`. Nil: for ever.
    public var browserSignInSeconds: Int64? = 86_400
    /// How many wrong enrollment codes are taken before `POST /v1/enroll` answers 429:
    /// `serve --enrollment-attempts` and `--enrollment-attempts-total`.
    public var enrollmentAttempts = EnrollmentAttemptLimits()
    /// Where to serve `GET /metrics` without credentials besides the API (which asks for an admin's
    /// token): `serve --metrics-address HOST:PORT`. Nil: nowhere else.
    public var metricsAddress: ListenAddress?

    /// How many photo uploads (`PUT /v1/photos/{sha256}`) are received at once; more are answered 503
    /// `photo-uploads-busy`: `serve --photo-upload-limit`. Each holds a connection while its body trickles
    /// in, and a database connection for a moment per 64 KiB.
    public var maximumConcurrentPhotoUploads = 32

    /// How long a piece of a photo waits, at most, before it is kept while batches of events are being
    /// stored, so that events go before photos in a burst: `serve --photo-wait-for-events`. Zero: no wait.
    public var photoPieceWaitForEvents: Duration = .seconds(2)

    /// The largest bundle (`POST /v1/bundles`) accepted, in bytes: `serve --bundle-limit`. A bundle holds
    /// its photos, base64url-encoded, so it may be far larger than a batch; it is read whole before any of
    /// it is checked.
    public var maximumBundleBytes = 256 << 20
    /// How long the pieces of a photo upload whose newest piece arrived that long ago are kept before they
    /// are removed (the upload then starts again from byte 0): `serve --photo-upload-expires`. Two days, so
    /// that a reporter cut off on polling day finishes the photo the next day.
    public var abandonedPhotoUploadAge: Duration = .seconds(2 * 86_400)
    /// How often abandoned upload pieces are looked for: at most an hour, and a quarter of the age.
    var abandonedPhotoUploadSweep: Duration { min(.seconds(3600), abandonedPhotoUploadAge / 4) }

    /// The largest body of a request that is not a batch of events (enrollment, revocation).
    var maximumSmallBodyBytes: Int { 64 << 10 }
}

/// How many wrong enrollment codes (unknown, expired or used) `POST /v1/enroll` takes within a sliding
/// window before it answers 429 `enrollment-throttled` with `Retry-After`: from one client address, and
/// from all of them together.
public struct EnrollmentAttemptLimits: Sendable {
    public var perAddress: Int
    public var total: Int
    public var windowSeconds: Int

    public init(perAddress: Int = 20, total: Int = 1000, windowSeconds: Int = 600) {
        self.perAddress = perAddress
        self.total = total
        self.windowSeconds = windowSeconds
    }
}

/// An address to listen on: a host name or IP address, and a port (0 for any free one).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all addresses); nil for anything else.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard !host.contains(" ") else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
