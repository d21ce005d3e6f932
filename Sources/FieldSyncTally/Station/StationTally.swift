import FieldSyncModel

/// Everything known about one polling station: when it opened and closed, the parties' agents,
/// incidents, turnout, the Form-45 of each of its seats with their status, the corrections made and
/// the flags raised. A pure function of the set of events about the station (and of the reference
/// data and election calendar).
public struct StationTally: Hashable, Sendable {
    public let code: StationCode
    /// The station as the reference data defines it; nil while it is not defined (an observation
    /// may arrive before the definition of its station).
    public let station: PollingStation?
    public let opening: StationOpening?
    public let closing: StationClosing?
    /// By party code.
    public let agents: [PartyAgents]
    /// By observation time, ties by event id.
    public let incidents: [IncidentReport]
    /// The turnout history, by the time each count refers to (ties by event id): the last is the latest.
    public let turnout: [TurnoutReading]
    /// One per seat: the station's NA and PS seats, and any other seat a report names; NA first.
    public let results: [ContestResult]
    /// In device order, then sequence order.
    public let corrections: [CorrectionReport]
    public let flags: [TallyFlag]

    /// The latest turnout count.
    public var latestTurnout: TurnoutReading? { turnout.last }

    /// The result for one seat.
    public func result(for constituency: ConstituencyCode) -> ContestResult? {
        results.first { $0.constituency == constituency }
    }

    /// The tally as a JSON document; its canonical form is the same for the same set of events.
    public var jsonValue: JSONValue {
        [
            "station": .string(code.rawValue), "defined": .bool(station != nil), "name": .string(station?.name),
            "national": .string(station?.national.rawValue), "provincial": .string(station?.provincial.rawValue),
            "registeredVoters": .int(station?.voters.total), "opening": opening?.jsonValue ?? .null,
            "closing": closing?.jsonValue ?? .null, "agents": .array(agents.map(\.jsonValue)),
            "incidents": .array(incidents.map(\.jsonValue)),
            "turnout": ["latest": latestTurnout?.jsonValue ?? .null, "history": .array(turnout.map(\.jsonValue))],
            "results": .array(results.map(\.jsonValue)), "corrections": .array(corrections.map(\.jsonValue)),
            "flags": .array(flags.map(\.jsonValue)),
        ]
    }

    /// The canonical JSON bytes of ``jsonValue``.
    public var canonicalBytes: [UInt8] { CanonicalJSON.bytes(jsonValue) }
}
