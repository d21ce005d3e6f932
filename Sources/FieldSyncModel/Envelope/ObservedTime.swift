/// A time as a reporter wrote it: RFC 3339 with an offset (`Z` or `±HH:MM`), kept exactly as
/// written (the text is part of what is signed), with the instant it denotes.
public struct ObservedTime: Hashable, Sendable, CustomStringConvertible {
    /// The text exactly as written in the event.
    public let text: String
    /// The instant the text denotes.
    public let instant: Timestamp
    /// The offset from UTC written in the text, in minutes (`Z` is 0).
    public let offsetMinutes: Int

    /// Parses an RFC 3339 date-time (see ``Timestamp/init(rfc3339:)``); nil if it is not one.
    public init?(_ text: String) {
        guard let parsed = RFC3339.parse(text) else { return nil }
        self.text = text
        self.instant = parsed.instant
        self.offsetMinutes = parsed.offsetMinutes
    }

    /// ``init(_:)`` for UTF-8 text read in place, as storage returns it: the text is copied only once it
    /// is known to be a time.
    public init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let parsed = RFC3339.parse(utf8) else { return nil }
        self.text = String(decoding: utf8, as: UTF8.self)
        self.instant = parsed.instant
        self.offsetMinutes = parsed.offsetMinutes
    }

    /// `instant` written at an offset (Karachi's +05:00 by default), to whole seconds unless it has
    /// a fraction of a second, then to microseconds.
    public init(_ instant: Timestamp, offsetMinutes: Int) {
        let digits = instant.microseconds % 1_000_000 == 0 ? 0 : 6
        self.text = instant.rfc3339(offsetMinutes: offsetMinutes, fractionDigits: digits)
        self.instant = instant
        self.offsetMinutes = offsetMinutes
    }

    public var description: String { text }
}
