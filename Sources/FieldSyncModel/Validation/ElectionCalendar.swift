/// When things may happen on polling day, for validating observation times.
///
/// Polling runs from ``pollingOpens`` to ``pollingCloses``. Observations are accepted a little
/// before and well after: staff set up before opening, voters still in the queue at closing may
/// vote, and counting and Form-45 results run into the evening and night after. Corrections may
/// come days later. Read from the log's ``ElectionDefinition``: no election is compiled in.
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

    /// A time as shown in messages: local, to the second.
    func show(_ time: Timestamp) -> String {
        time.rfc3339(offsetMinutes: localOffsetMinutes)
    }

    /// "from A to B", in local time.
    func range(_ from: Timestamp, _ until: Timestamp) -> String {
        "from \(show(from)) to \(show(until))"
    }
}
