/// The exit codes of every `fieldsync` command, one meaning each, the same in every command: a script
/// that sees 2 knows the server could not be reached, whether it ran `sync`, `tally` or `audit export`.
///
/// Each command's `--help` lists the codes it can end with (``helpText(_:)``); `fieldsync --help` and the
/// README list them all.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done: recorded, synced, verified, served until stopped.
    case ok = 0
    /// Something else went wrong: a file cannot be read or written, an answer cannot be read, the
    /// database failed (`serve`, `migrate`, `admin`).
    case failure = 1
    /// The FieldSync server could not be reached, or the connection broke off, before giving up.
    case unreachable = 2
    /// The server holds something else under one of this device's events.
    case conflict = 3
    /// An observation was not valid (on this laptop or on the server).
    case invalid = 4
    /// The server refused the enrollment code or the credentials (unknown, expired, revoked, or not
    /// allowed to do this).
    case refused = 5
    /// The local log is damaged: a changed line, a broken chain. Nothing is written or synced.
    case logProblem = 6
    /// An answer was not signed by the server key pinned at enrollment, or a tree head lacks the witnesses'
    /// cosignatures the reader requires.
    case untrustedServer = 7
    /// A finding: an exported log does not verify, or the server's tallies differ from the replay.
    case finding = 8
    /// The command line was wrong.
    case usage = 64

    /// What the code means, in one line for `--help` and the README.
    public var meaning: String {
        switch self {
        case .ok: "done: recorded, synced, verified, or served until stopped"
        case .failure: "another failure: a file, an answer, the database; the message says which"
        case .unreachable: "the server could not be reached, or broke off: try again later"
        case .conflict: "conflict: the server holds another event under one of this device's seqs"
        case .invalid: "invalid: an observation was refused, here or by the server"
        case .refused: "refused: the code or credentials (unknown, expired, revoked, not allowed)"
        case .logProblem: "the local log is damaged: nothing was written or synced"
        case .untrustedServer: "not signed by the server key pinned at init (or the witnesses required)"
        case .finding: "a finding: the log does not verify, or the tallies differ from the replay"
        case .usage: "the command line was wrong"
        }
    }

    /// `  2   the server … could not be reached`: the code and its meaning, as the tables show them.
    public var line: String {
        let code = String(rawValue)
        return "  " + code + String(repeating: " ", count: max(1, 4 - code.count)) + meaning
    }

    /// The whole table, one line per code.
    public static var table: String {
        allCases.map(\.line).joined(separator: "\n")
    }

    /// The codes one command can end with, for its `--help`: 0, 1 and 64, which every command may end
    /// with, the `statuses` given, and where the others are.
    public static func helpText(_ statuses: ExitStatus...) -> String {
        let shown = allCases.filter { [.ok, .failure, .usage].contains($0) || statuses.contains($0) }
        return "Exit codes (the same in every command; all of them: fieldsync --help):\n"
            + shown.map(\.line).joined(separator: "\n")
    }
}
