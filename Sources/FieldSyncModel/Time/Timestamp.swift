/// An instant, as a whole number of microseconds since 1970-01-01T00:00:00Z.
///
/// Integer microseconds match PostgreSQL's `timestamptz` exactly, so a time survives a round trip
/// through the database, an export and a replay without the rounding a `Double` would bring.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Microseconds since the Unix epoch, UTC.
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    public init(seconds: Int64) {
        self.microseconds = seconds * 1_000_000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var seconds: Int64 {
        microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
    }

    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(microseconds: microseconds + seconds * 1_000_000)
    }

    public func adding(minutes: Int64) -> Timestamp {
        adding(seconds: minutes * 60)
    }
}
