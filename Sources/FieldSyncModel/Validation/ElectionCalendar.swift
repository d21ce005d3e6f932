/// When things may happen on polling day, for validating observation times.
///
/// Polling runs from ``pollingOpens`` to ``pollingCloses``. Observations are accepted a little
/// before and well after: staff set up before opening, voters still in the queue at closing may
/// vote, and counting and Form-45 results run into the evening and night after. Corrections may
/// come days later.
public struct ElectionCalendar: Hashable, Sendable {
    public var pollingOpens: Timestamp
    public var pollingCloses: Timestamp
    /// The earliest time of any observation (event time and times inside it).
    public var observationsFrom: Timestamp
    /// The latest time of any observation but a correction.
    public var observationsUntil: Timestamp
    /// The latest time of a correction event.
    public var correctionsUntil: Timestamp
    /// The local offset, in minutes, in which times are shown in error messages.
    public var localOffsetMinutes: Int

    public init(
        pollingOpens: Timestamp, pollingCloses: Timestamp, observationsFrom: Timestamp, observationsUntil: Timestamp,
        correctionsUntil: Timestamp, localOffsetMinutes: Int
    ) {
        self.pollingOpens = pollingOpens
        self.pollingCloses = pollingCloses
        self.observationsFrom = observationsFrom
        self.observationsUntil = observationsUntil
        self.correctionsUntil = correctionsUntil
        self.localOffsetMinutes = localOffsetMinutes
    }

    /// Karachi, 8 February 2024, polling 08:00–17:00 at +05:00. Observations from 06:00 that day
    /// (two hours of setting up) until 12:00 on 9 February (counting and results through the night);
    /// corrections until the end of 15 February.
    public static let karachi2024 = ElectionCalendar(
        pollingOpens: Timestamp(rfc3339: "2024-02-08T08:00:00+05:00")!,
        pollingCloses: Timestamp(rfc3339: "2024-02-08T17:00:00+05:00")!,
        observationsFrom: Timestamp(rfc3339: "2024-02-08T06:00:00+05:00")!,
        observationsUntil: Timestamp(rfc3339: "2024-02-09T12:00:00+05:00")!,
        correctionsUntil: Timestamp(rfc3339: "2024-02-16T00:00:00+05:00")!,
        localOffsetMinutes: 300)

    /// A time as shown in messages: local, to the second.
    func show(_ time: Timestamp) -> String {
        time.rfc3339(offsetMinutes: localOffsetMinutes)
    }

    /// "from A to B", in local time.
    func range(_ from: Timestamp, _ until: Timestamp) -> String {
        "from \(show(from)) to \(show(until))"
    }
}
