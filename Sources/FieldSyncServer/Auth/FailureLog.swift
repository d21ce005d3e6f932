import Logging

/// Where failed sign-ins and wrong enrollment codes are logged: one line per kind of failure and client
/// address a minute at most, the next saying how many more there were (see ``LogThrottle``), so that a
/// client trying tokens or codes in a loop cannot flood the log. The metrics count every one.
actor FailureLog {
    let logger: Logger
    private var throttle: LogThrottle

    init(logger: Logger, throttle: LogThrottle = LogThrottle()) {
        self.logger = logger
        self.throttle = throttle
    }

    /// Logs `message` (a warning) about `client`, unless a line of the same message about it was written
    /// within the minute.
    func record(_ message: String, client: String, metadata: Logger.Metadata = [:]) {
        guard let skipped = throttle.admit(message + " " + client, at: .now) else { return }
        var metadata = metadata
        metadata["client"] = "\(client)"
        if skipped > 0 { metadata["more"] = "\(skipped) more like it from this client in the minute before" }
        logger.warning("\(message)", metadata: metadata)
    }
}
