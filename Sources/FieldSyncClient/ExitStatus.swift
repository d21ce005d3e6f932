/// The exit codes of the reporter's commands (`init`, `record`, `sync`, `log`, `status`), the same
/// meaning in each. Scripts can rely on them; `fieldsync sync --help` lists them.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done: recorded, or everything is on the server.
    case ok = 0
    /// Something else went wrong (a file cannot be written, an answer cannot be read).
    case failure = 1
    /// The server could not be reached before giving up.
    case unreachable = 2
    /// The server holds something else under one of this device's events.
    case conflict = 3
    /// An observation was not valid (on this laptop or on the server).
    case invalid = 4
    /// The server refused the enrollment code or this device's credentials (unknown, expired, revoked).
    case refused = 5
    /// The local log is damaged: a changed line, a broken chain. Nothing is written or synced.
    case logProblem = 6
    /// An answer was not signed by the server key pinned at enrollment.
    case untrustedServer = 7
    /// The command line was wrong.
    case usage = 64

    /// One line per code, for `--help`.
    public static var helpText: String {
        """
        Exit codes:
          0   done: synced (nothing waiting), or recorded
          1   another failure (a file cannot be written, an answer cannot be read)
          2   the server could not be reached before giving up: run sync later
          3   conflict: the server holds a different event under one of this device's seqs
          4   invalid: an observation was refused (here or by the server)
          5   refused: the enrollment code or the device's credentials (revoked, unknown)
          6   the local log is damaged: nothing is written or synced
          7   an answer was not signed by the server key pinned at init
          64  the command line was wrong
        """
    }
}
