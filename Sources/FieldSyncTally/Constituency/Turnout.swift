import FieldSyncModel

/// Votes cast over registered voters, in whole numbers: the numerator, the denominator, and the
/// ratio in basis points (4823 is 48.23%), rounded half up.
public struct Turnout: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// How many stations the figures come from.
    public let stations: Int
    public let votesCast: Int
    public let registeredVoters: Int

    public init(stations: Int, votesCast: Int, registeredVoters: Int) {
        self.stations = stations
        self.votesCast = votesCast
        self.registeredVoters = registeredVoters
    }

    /// Nil when there are no registered voters to divide by.
    public var basisPoints: Int? { Turnout.basisPoints(votesCast, of: registeredVoters) }

    /// `cast` × 10,000 ÷ `registered`, rounded half up; nil when `registered` is 0.
    public static func basisPoints(_ cast: Int, of registered: Int) -> Int? {
        registered > 0 ? (cast * 20_000 + registered) / (2 * registered) : nil
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("basisPoints", basisPoints)
            w.member("registeredVoters", registeredVoters)
            w.member("stations", stations)
            w.member("votesCast", votesCast)
        }
    }
}
