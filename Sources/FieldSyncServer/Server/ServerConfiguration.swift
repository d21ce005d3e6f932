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
    /// The election's calendar, against which observation times are checked.
    public var calendar: ElectionCalendar
    /// How long `GET /v1/events` pages are, in events.
    public var exportPageSize: Int
    /// How often a live stream (`GET /v1/live`) sends a heartbeat, in seconds.
    public var heartbeatSeconds: Int
    /// How many tallies as of a past moment (`?position=`, `?asOf=`) are computed at once; more at the same
    /// time are answered 503. Each folds the whole log up to its cutoff in memory. 0 turns them off.
    public var maximumConcurrentReplays: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBatchEvents: Int = 1000,
        maximumBodyBytes: Int = 4 << 20, serverName: String = "FieldSync Karachi 2024",
        calendar: ElectionCalendar = .karachi2024, exportPageSize: Int = 1000, heartbeatSeconds: Int = 15,
        maximumConcurrentReplays: Int = 2
    ) {
        self.host = host
        self.port = port
        self.maximumBatchEvents = maximumBatchEvents
        self.maximumBodyBytes = maximumBodyBytes
        self.serverName = serverName
        self.calendar = calendar
        self.exportPageSize = exportPageSize
        self.heartbeatSeconds = heartbeatSeconds
        self.maximumConcurrentReplays = maximumConcurrentReplays
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
