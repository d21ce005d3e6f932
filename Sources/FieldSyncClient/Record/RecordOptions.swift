import FieldSyncModel

/// What the reporter typed after `fieldsync record <kind>`, as text, before any checking: the values
/// and every option any kind of observation takes. The builders read the ones their kind uses.
public struct RecordOptions: Sendable, Hashable {
    /// The values after the kind (`412`, `PPP=present`, `violence "Clash…"`, `NA-235-C01=210`).
    public var values: [String] = []
    public var station: String?
    /// The observation time (default now).
    public var time: String?
    /// `opened`/`closed`: when the station opened or closed.
    public var at: String?
    public var materials: String?
    public var staff: String?
    /// `closed`: voters still in the queue.
    public var queue: String?
    /// `turnout`.
    public var male: String?
    public var female: String?
    public var asOf: String?
    /// `incident`.
    public var severity: String?
    public var occurredAt: String?
    /// `result`.
    public var seat: String?
    public var rejected: String?
    public var total: String?
    public var registered: String?
    /// `result --csv FILE`: the file's name and text.
    public var csv: Form45File?
    /// `result --photo FILE`, `incident --photo FILE`: the photo of the signed Form-45 or of the incident,
    /// kept in the profile's ``PhotoFolder``.
    public var photo: PhotoReference?

    public init() {}

    /// Whether anything describing the observation itself (not the station or time) was given.
    public var describesObservation: Bool {
        !values.isEmpty || at != nil || materials != nil || staff != nil || queue != nil || male != nil
            || female != nil || asOf != nil || severity != nil || occurredAt != nil || seat != nil || rejected != nil
            || total != nil || registered != nil || csv != nil || photo != nil
    }
}

/// What a `record` command is checked against: the reference data, the calendar, the clock, and
/// the station of the last observation recorded.
public struct RecordContext: Sendable {
    public var reference: ReferenceData
    public var calendar: ElectionCalendar
    public var now: Timestamp
    public var lastStation: StationCode?

    public init(reference: ReferenceData, calendar: ElectionCalendar, now: Timestamp, lastStation: StationCode?) {
        self.reference = reference
        self.calendar = calendar
        self.now = now
        self.lastStation = lastStation
    }
}

/// A Form-45 typed into a small CSV file: its name (for messages) and text.
public struct Form45File: Sendable, Hashable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}
