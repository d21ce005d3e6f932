import FieldSyncModel

/// One incident at a station, as it stands after corrections.
public struct IncidentReport: Hashable, Sendable {
    /// The id of the event that reported it first (a correction keeps its place).
    public let event: EventID
    public let device: DeviceID
    /// The observation time of the report.
    public let time: ObservedTime
    public let incident: Incident
    /// The original event, then the correction applied, if any.
    public let events: [EventID]

    public var jsonValue: JSONValue {
        [
            "event": .string(event.description), "device": .string(device.rawValue), "time": .string(time.text),
            "kind": .string(incident.kind.rawValue), "severity": .string(incident.severity.rawValue),
            "description": .string(incident.description), "occurredAt": .string(incident.occurredAt?.text),
            "events": .ids(events),
        ]
    }
}
