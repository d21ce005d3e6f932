import FieldSyncModel

/// One seat's tally, the counterpart of the returning officer's Form-47: stations by status, votes
/// per candidate and per party, rejected ballots, turnout, leader, runner-up and margin, the
/// disputed stations shown apart, and the flags raised.
///
/// The counting rule: reported and confirmed stations count; disputed stations are left out of the
/// counted totals and shown apart with the least and most they could add.
public struct ConstituencyTally: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let code: ConstituencyCode
    /// The reference definition; nil while it is not defined.
    public let constituency: Constituency?
    public let stations: StationCounts
    /// Every candidate standing (and any other a counted or disputed report names), by counted votes,
    /// most first, ties by candidate id.
    public let candidates: [CandidateTally]
    public let votesByParty: PartyVotes
    /// Counted: the candidates' votes.
    public let validVotes: Int
    /// Counted rejected ballots.
    public let rejected: Int
    /// Counted ballots cast.
    public let totalCast: Int
    /// Counted ballots cast over the registered voters of the counted stations.
    public let turnout: Turnout
    /// The latest turnout count of each station that has one, over those stations' registered voters.
    public let liveTurnout: Turnout
    /// The live turnout at each hour (UTC) in which one of the seat's stations reported a count.
    public let turnoutByHour: [TurnoutHour]
    /// Nil until a station counts.
    public let lead: Lead?
    public let disputed: DisputedVotes
    /// The commission's figures for the seat against the field's; nil while there are none.
    public let official: OfficialSeat?
    /// Whether the election postponed the seat (not polled that day): roll-ups leave it out and list it.
    public let postponed: Bool
    /// How many flags of each code the seat's stations have.
    public let stationFlags: [FlagCode: Int]
    /// The seat's own flags.
    public let flags: [TallyFlag]

    func write(to writer: inout CanonicalWriter) {
        var stationFlagCounts = [String: Int]()
        for (code, count) in stationFlags { stationFlagCounts[code.rawValue] = count }
        writer.object { w in
            w.member("assembly", code.assembly.rawValue)
            w.member("candidates") { $0.array(candidates) { $1.write(to: &$0) } }
            w.member("constituency", code.rawValue)
            w.member("defined", constituency != nil)
            w.member("disputed", disputed)
            w.member("district", constituency?.district)
            w.member("flags") { $0.array(flags) { $1.write(to: &$0) } }
            w.member("lead", lead)
            w.member("liveTurnout", liveTurnout)
            w.member("name", constituency?.name)
            w.member("official", official)
            w.member("postponed", postponed)
            w.member("rejected", rejected)
            w.name("stationFlags")
            w.counts(stationFlagCounts)
            w.member("stations", stations)
            w.member("totalCast", totalCast)
            w.member("turnout", turnout)
            w.member("turnoutByHour") { $0.array(turnoutByHour) { $1.write(to: &$0) } }
            w.member("validVotes", validVotes)
            w.member("votesByParty", votesByParty)
        }
    }

    /// The tally as a JSON document in canonical form; the same bytes for the same set of events.
    public var canonicalBytes: [UInt8] { CanonicalWriter.document(capacity: 8192) { write(to: &$0) } }
}
