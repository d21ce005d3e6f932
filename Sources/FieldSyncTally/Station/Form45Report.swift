import FieldSyncModel

/// One device's effective Form-45 for one seat at one station: its latest report by observation
/// time (ties by event id), after corrections.
public struct Form45Report: Hashable, Sendable {
    public let device: DeviceID
    /// The id of the event that reported it first (a correction keeps its place).
    public let event: EventID
    /// The observation time of the report.
    public let time: ObservedTime
    public let figures: Form45Figures
    /// Registered voters as printed on the form.
    public let registeredVoters: Int
    /// The original event, then the correction applied, if any.
    public let events: [EventID]

    public var jsonValue: JSONValue {
        [
            "device": .string(device.rawValue), "event": .string(event.description), "time": .string(time.text),
            "votes": .votes(figures.votes), "rejected": .int(figures.rejected), "totalCast": .int(figures.totalCast),
            "registeredVoters": .int(registeredVoters), "events": .ids(events),
        ]
    }
}
