/// How far an export has come, for a progress line.
public struct ExportProgress: Hashable, Sendable {
    /// The position the file held before this run (0 for a new file).
    public var startPosition: Int64
    /// The position of the last event written so far.
    public var position: Int64
    /// The position of the signed head the export goes up to.
    public var headPosition: Int64
    /// Events written by this run.
    public var events: Int
    /// Bytes written by this run.
    public var bytes: Int
    /// Seconds since this run started.
    public var seconds: Double
    /// Times the download broke off and went on from the last complete line.
    public var retries: Int

    /// Events per second in this run.
    public var rate: Double { seconds > 0 ? Double(events) / seconds : 0 }

    /// The share of the events to fetch that are written, from 0 to 1.
    public var fraction: Double {
        let total = headPosition - startPosition
        return total > 0 ? min(1, Double(position - startPosition) / Double(total)) : 1
    }
}
