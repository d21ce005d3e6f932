/// How a sync ended.
public enum SyncOutcome: String, Sendable, Hashable {
    /// Everything in the log is on the server.
    case synced
    /// The server could not be reached before giving up.
    case unreachable
    /// The server holds something else under one of this device's events.
    case conflict
    /// The server refused events as invalid.
    case invalid
    /// The server refused this device's credentials.
    case refused
    /// The local log is damaged.
    case logProblem = "log-problem"
    /// An answer was not signed by the pinned server key.
    case untrustedServer = "untrusted-server"
    /// Anything else.
    case failed

    public var exitStatus: ExitStatus {
        switch self {
        case .synced: .ok
        case .unreachable: .unreachable
        case .conflict: .conflict
        case .invalid: .invalid
        case .refused: .refused
        case .logProblem: .logProblem
        case .untrustedServer: .untrustedServer
        case .failed: .failure
        }
    }
}
