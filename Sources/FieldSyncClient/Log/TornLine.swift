/// The last line of the log when a crash cut it short: no line feed at its end, or not JSON. Never
/// dropped: moved to the quarantine folder and reported.
public struct TornLine: Sendable, Hashable {
    /// Its line number in the file, from 1.
    public var line: Int
    /// Where it starts in the file: the log is cut back to this length once the line is kept aside.
    public var offset: Int
    public var bytes: [UInt8]
    /// Why it counts as torn.
    public var reason: String

    public init(line: Int, offset: Int, bytes: [UInt8], reason: String) {
        self.line = line
        self.offset = offset
        self.bytes = bytes
        self.reason = reason
    }
}

/// A torn line that was moved aside when the log was opened.
public struct QuarantinedLine: Sendable, Hashable, CustomStringConvertible {
    public var torn: TornLine
    /// The file it was moved to.
    public var file: String

    public init(torn: TornLine, file: String) {
        self.torn = torn
        self.file = file
    }

    public var description: String {
        "the last line of the log (line \(torn.line), \(torn.bytes.count) bytes) was cut short by an interrupted"
            + " write (\(torn.reason)); it was moved to \(file). That observation was not recorded: record it again"
    }
}
