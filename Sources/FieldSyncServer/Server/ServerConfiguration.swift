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

    /// The largest body of a request that is not a batch of events (enrollment, revocation).
    var maximumSmallBodyBytes: Int { 64 << 10 }
}
