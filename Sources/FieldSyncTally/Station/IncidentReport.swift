import FieldSyncModel

/// One incident at a station, as it stands after corrections.
public struct IncidentReport: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The id of the event that reported it first (a correction keeps its place).
    public let event: EventID
    public let device: DeviceID
    /// The observation time of the report.
    public let time: ObservedTime
    public let incident: Incident
    var order: ObservationOrder { ObservationOrder(instant: time.instant, id: event) }

    /// The correction that stands on the original event, if any.
    public let correction: EventID?

    /// The original event, then the correction that stands on it, if any.
    public var events: [EventID] { correction.map { [event, $0] } ?? [event] }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("description", incident.description)
            w.member("device", device.rawValue)
            w.member("events", event, correction)
            w.member("kind", incident.kind.rawValue)
            w.member("occurredAt", incident.occurredAt?.text)
            w.member("photo", incident.photo?.sha256.hex)
            w.member("severity", incident.severity.rawValue)
            w.member("time", time.text)
        }
    }
}
