import FieldSyncModel

/// One turnout count at a station, as it stands after corrections.
public struct TurnoutReading: Hashable, Sendable {
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
    /// The original event, then the correction applied, if any.
    public let events: [EventID]

    var order: ObservationOrder { ObservationOrder(instant: asOf.instant, id: event) }

    public var jsonValue: JSONValue {
        [
            "event": .string(event.description), "device": .string(device.rawValue), "asOf": .string(asOf.text),
            "votesCast": .int(votesCast), "male": .int(male), "female": .int(female),
            "basisPoints": .int(basisPoints), "events": .ids(events),
        ]
    }
}
