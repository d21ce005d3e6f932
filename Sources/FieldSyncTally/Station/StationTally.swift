import FieldSyncModel

/// Everything known about one polling station: when it opened and closed, the parties' agents,
/// incidents, turnout, the Form-45 of each of its seats with their status, the corrections made and
/// the flags raised. A pure function of the set of events about the station (and of the reference
/// data and election calendar).
public struct StationTally: Hashable, Sendable, TallyDocument, CanonicalPart {
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
    /// The devices whose observations here are held out of the tally, in device order.
    public let held: [HeldReport]
    /// The commission's Form-45 per seat, as it stands, against the field's reports; in seat order.
    public let official: [OfficialStationResult]
    public let flags: [TallyFlag]

    /// Whether an editor should look at the station: a report held out of the tally, a flag, or a disputed
    /// result. The store keeps it beside the document (`tallies.needs_review`), for the stations to review.
    public var needsReview: Bool {
        !held.isEmpty || !flags.isEmpty || results.contains { $0.status == .disputed }
    }

    /// The latest turnout count.
    public var latestTurnout: TurnoutReading? { turnout.last }

    /// The result for one seat.
    public func result(for constituency: ConstituencyCode) -> ContestResult? {
        results.first { $0.constituency == constituency }
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("agents") { $0.array(agents) { $1.write(to: &$0) } }
            w.member("closing", closing)
            w.member("corrections") { $0.array(corrections) { $1.write(to: &$0) } }
            w.member("defined", station != nil)
            w.member("flags") { $0.array(flags) { $1.write(to: &$0) } }
            w.member("held") { $0.array(held) { $1.write(to: &$0) } }
            w.member("incidents") { $0.array(incidents) { $1.write(to: &$0) } }
            w.member("name", station?.name)
            w.member("national", station?.national.rawValue)
            w.member("official") { $0.array(official) { $1.write(to: &$0) } }
            w.member("opening", opening)
            w.member("provincial", station?.provincial?.rawValue)
            w.member("registeredVoters", station?.voters.total)
            w.member("results") { $0.array(results) { $1.write(to: &$0) } }
            w.member("station", code.rawValue)
            w.member("turnout") { w in
                w.object { w in
                    w.member("basisPoints", latestTurnout?.basisPoints)
                    w.member("history") { $0.array(turnout) { $1.write(to: &$0) } }
                    w.member("latest", latestTurnout)
                }
            }
        }
    }

    /// The tally as a JSON document in canonical form; the same bytes for the same set of events.
    public var canonicalBytes: [UInt8] {
        CanonicalWriter.document(capacity: 4096 + 160 * turnout.count) { write(to: &$0) }
    }
}
