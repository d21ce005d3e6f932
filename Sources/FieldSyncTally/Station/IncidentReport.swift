import FieldSyncModel

/// One incident at a station, as it stands after corrections.
public struct IncidentReport: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The id of the event that reported it first (a correction keeps its place).
    public let event: EventID
    public let device: DeviceID
    /// The observation time of the report.
    public let time: ObservedTime
    public let incident: Incident
    /// The original event, then the correction applied, if any.
    public let events: [EventID]

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("description", incident.description)
            w.member("device", device.rawValue)
            w.member("events", events)
            w.member("kind", incident.kind.rawValue)
            w.member("occurredAt", incident.occurredAt?.text)
            w.member("severity", incident.severity.rawValue)
            w.member("time", time.text)
        }
    }
}
