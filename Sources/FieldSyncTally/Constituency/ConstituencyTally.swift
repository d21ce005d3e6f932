import FieldSyncModel

/// One seat's tally, the counterpart of the returning officer's Form-47: stations by status, votes
/// per candidate and per party, rejected ballots, turnout, leader, runner-up and margin, the
/// disputed stations shown apart, and the flags raised.
///
/// The counting rule: reported and confirmed stations count; disputed stations are left out of the
/// counted totals and shown apart with the least and most they could add.
public struct ConstituencyTally: Hashable, Sendable {
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
    /// Nil until a station counts.
    public let lead: Lead?
    public let disputed: DisputedVotes
    /// How many flags of each code the seat's stations have.
    public let stationFlags: [FlagCode: Int]
    /// The seat's own flags.
    public let flags: [TallyFlag]

    /// The tally as a JSON document; its canonical form is the same for the same set of events.
    public var jsonValue: JSONValue {
        var stationFlagCounts = [String: Int]()
        for (code, count) in stationFlags { stationFlagCounts[code.rawValue] = count }
        return [
            "constituency": .string(code.rawValue), "defined": .bool(constituency != nil),
            "name": .string(constituency?.name), "district": .string(constituency?.district),
            "assembly": .string(code.assembly.rawValue), "stations": stations.jsonValue,
            "candidates": .array(candidates.map(\.jsonValue)), "votesByParty": votesByParty.jsonValue,
            "validVotes": .int(validVotes), "rejected": .int(rejected), "totalCast": .int(totalCast),
            "turnout": turnout.jsonValue, "liveTurnout": liveTurnout.jsonValue, "lead": lead?.jsonValue ?? .null,
            "disputed": disputed.jsonValue, "stationFlags": .counts(stationFlagCounts),
            "flags": .array(flags.map(\.jsonValue)),
        ]
    }

    /// The canonical JSON bytes of ``jsonValue``.
    public var canonicalBytes: [UInt8] { CanonicalJSON.bytes(jsonValue) }
}
