import FieldSyncModel

/// One assembly's seats in an area (the city or a district), summed.
public struct AssemblyRollUp: Hashable, Sendable, TallyDocument, CanonicalPart {
    public private(set) var seats = 0
    /// Seats where a station counts, so a leader is known.
    public private(set) var seatsWithLeader = 0
    /// Seats led per party, both ways of counting backed independents.
    public private(set) var seatsLed = PartyVotes()
    /// Seats whose disputed stations could change the leader.
    public private(set) var seatsInDoubt = 0
    /// The seats' stations by status (each station votes in one seat of each assembly).
    public private(set) var stations = StationCounts()
    /// Counted ballots cast over the registered voters of the counted stations.
    public private(set) var turnout = Turnout(stations: 0, votesCast: 0, registeredVoters: 0)
    public private(set) var rejected = 0
    /// The seats' official figures against the field's.
    public private(set) var official = OfficialRollUp()
    /// The seats' live turnout at each hour (UTC) in which one of their stations reported a count.
    public var turnoutByHour: [TurnoutHour] { hourlyTurnout.series }
    private var hourlyTurnout = HourlyTurnout()

    init() {}

    /// Adds a seat; with `sign` -1, takes it back out exactly (``RollUpSums``).
    mutating func add(_ tally: ConstituencyTally, candidate: (CandidateID) -> Candidate?, sign: Int = 1) {
        seats += sign
        if let lead = tally.lead {
            seatsWithLeader += sign
            seatsLed.add(sign, droppingZeroFor: candidate(lead.leader))
        }
        if tally.flags.contains(where: { $0.code == .disputedCouldChangeLeader }) { seatsInDoubt += sign }
        stations.add(tally.stations, sign: sign)
        turnout = Turnout(
            stations: turnout.stations + sign * tally.turnout.stations,
            votesCast: turnout.votesCast + sign * tally.turnout.votesCast,
            registeredVoters: turnout.registeredVoters + sign * tally.turnout.registeredVoters)
        rejected += sign * tally.rejected
        official.add(tally, sign: sign)
        hourlyTurnout.add(series: tally.turnoutByHour, sign: sign)
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("official", official)
            w.member("rejected", rejected)
            w.member("seats", seats)
            w.member("seatsInDoubt", seatsInDoubt)
            w.member("seatsLed", seatsLed)
            w.member("seatsWithLeader", seatsWithLeader)
            w.member("stations", stations)
            w.member("turnout", turnout)
            w.member("turnoutByHour") { $0.array(turnoutByHour) { $1.write(to: &$0) } }
        }
    }
}
