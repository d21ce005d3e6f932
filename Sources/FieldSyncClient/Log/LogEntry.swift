import FieldSyncModel

/// One event of the local log and the line it was read from.
public struct LogEntry: Sendable, Hashable {
    public let event: Event
    /// The line exactly as it is in the file, without its line feed: the bytes that are pushed.
    public let line: [UInt8]
    /// Its line number in the file, from 1.
    public let lineNumber: Int

    public init(event: Event, line: [UInt8], lineNumber: Int) {
        self.event = event
        self.line = line
        self.lineNumber = lineNumber
    }

    public var seq: Int64 { event.seq }
}
