import FieldSyncModel

/// One turnout count at a station, as it stands after corrections.
public struct TurnoutReading: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The id of the event that reported it first (a correction keeps its place).
    public let event: EventID
    public let device: DeviceID
    /// The time the count refers to: the order of the history.
    public let asOf: ObservedTime
    public let votesCast: Int
    public let male: Int?
    public let female: Int?
    /// Votes cast over the station's registered voters, in basis points; nil while the station is
    /// not defined.
    public let basisPoints: Int?
    /// The correction that stands on the original event, if any.
    public let correction: EventID?

    /// The original event, then the correction that stands on it, if any.
    public var events: [EventID] { correction.map { [event, $0] } ?? [event] }

    var order: ObservationOrder { ObservationOrder(instant: asOf.instant, id: event) }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    /// Written without ``basisPoints`` (the station's document gives the latest one's): the history
    /// is most of a station's document.
    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("asOf", asOf.text)
            w.member("device", device.rawValue)
            w.member("events", event, correction)
            w.member("female", female)
            w.member("male", male)
            w.member("votesCast", votesCast)
        }
    }
}
