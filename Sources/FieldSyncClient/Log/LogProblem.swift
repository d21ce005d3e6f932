/// Something wrong with a line of the local log other than a torn last line: a line changed after it
/// was written, a broken chain, someone else's event. Says where (line, seq) and what.
public struct LogProblem: Sendable, Hashable, CustomStringConvertible {
    /// The line number in the file, from 1.
    public var line: Int
    /// The seq the line claims, when it could be read.
    public var seq: Int64?
    public var what: String

    public init(line: Int, seq: Int64?, what: String) {
        self.line = line
        self.seq = seq
        self.what = what
    }

    public var description: String {
        "line \(line)" + (seq.map { " (seq \($0))" } ?? "") + ": " + what
    }
}

/// The log has problems: nothing is recorded or synced until its owner deals with them.
public struct LogDamaged: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problems: [LogProblem]

    public init(path: String, problems: [LogProblem]) {
        self.path = path
        self.problems = problems
    }

    /// The problems one per line, then what to do.
    public var description: String {
        var lines = ["the local log \(path) is not as this device wrote it:"]
        lines += problems.prefix(20).map { "  " + $0.description }
        if problems.count > 20 { lines.append("  … and \(problems.count - 20) more") }
        lines.append(
            "nothing will be recorded or synced until this is resolved: restore log.ndjson from a backup of this"
                + " device, or keep it aside for an auditor and run `fieldsync init --force` with a new enrollment code"
        )
        return lines.joined(separator: "\n")
    }
}
