import FieldSyncModel

/// The events behind one figure or one station's part in a figure.
public struct Provenance: Hashable, Sendable {
    /// The station the events are about; nil for a seat's own figures (such as its flags).
    public let station: StationCode?
    /// What the events stand behind, such as `counted`, `disputed`, `live-turnout`, or a flag code.
    public let figure: String
    /// The status of the station's result for the seat, where that is what is explained.
    public let status: ResultStatus?
    /// In position order.
    public let events: [EventReference]

    public var jsonValue: JSONValue {
        [
            "station": .string(station?.rawValue), "figure": .string(figure), "status": .string(status?.rawValue),
            "events": .array(events.map(\.jsonValue)),
        ]
    }
}

/// The events behind every figure of a seat's tally.
///
/// Votes per candidate and per party, rejected ballots, total cast and turnout are sums over the
/// counted stations: `counted` lists each one's reports. The disputed ranges are over `disputed`;
/// the live turnout is each station's latest count, `liveTurnout`; each flag lists its own events.
public struct ConstituencyProvenance: Hashable, Sendable {
    public let constituency: ConstituencyCode
    /// One per reported or confirmed station, in station order.
    public let counted: [Provenance]
    /// One per disputed station, in station order.
    public let disputed: [Provenance]
    /// One per station with a turnout count, in station order.
    public let liveTurnout: [Provenance]
    /// One per flag of the seat, in flag order.
    public let flags: [Provenance]

    public var jsonValue: JSONValue {
        [
            "constituency": .string(constituency.rawValue), "counted": .array(counted.map(\.jsonValue)),
            "disputed": .array(disputed.map(\.jsonValue)), "liveTurnout": .array(liveTurnout.map(\.jsonValue)),
            "flags": .array(flags.map(\.jsonValue)),
        ]
    }
}
