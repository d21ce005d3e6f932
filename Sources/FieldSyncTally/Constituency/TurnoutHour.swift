import FieldSyncModel

/// Turnout as it stood at one whole hour (UTC) of the day: each station's latest count whose `asOf`
/// is at or before ``at``, summed over the stations that have one. A seat's and a roll-up's
/// `turnoutByHour` list one of these per hour in which some count was reported.
public struct TurnoutHour: Hashable, Sendable, CanonicalPart {
    /// A whole hour, UTC: the end of the hour the counts were reported in.
    public let at: Timestamp
    public let turnout: Turnout

    public init(at: Timestamp, turnout: Turnout) {
        self.at = at
        self.turnout = turnout
    }

    /// The whole hour at or after an instant (a count as of 10:20 is reported by 11:00).
    static func ending(_ instant: Timestamp) -> Timestamp {
        let hour: Int64 = 3_600_000_000
        let micros = instant.microseconds
        let floor = micros >= 0 ? micros / hour : (micros - hour + 1) / hour
        return Timestamp(microseconds: (floor * hour == micros ? floor : floor + 1) * hour)
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("at", at.rfc3339(offsetMinutes: 0))
            w.member("basisPoints", turnout.basisPoints)
            w.member("registeredVoters", turnout.registeredVoters)
            w.member("stations", turnout.stations)
            w.member("votesCast", turnout.votesCast)
        }
    }
}
