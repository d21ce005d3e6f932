import FieldSyncModel

/// A sum of station figures against a seat's official Form-47 or 49: the sum minus the official figures, per
/// candidate that differs (a candidate absent from one side counts 0 there), for the rejected ballots and the
/// total cast, with how many stations the sum covers.
public struct OfficialSeatComparison: Hashable, Sendable, CanonicalPart {
    /// The stations summed: the field's counted stations, or the stations with an official Form-45.
    public let stations: Int
    /// The sum minus the official figures, only for the candidates where they differ.
    public let differences: [CandidateID: Int]
    public let rejected: Int
    public let totalCast: Int

    public var isEqual: Bool { differences.isEmpty && rejected == 0 && totalCast == 0 }

    init(_ sum: Form45Figures, stations: Int, official: OfficialResult) {
        self.stations = stations
        differences = OfficialComparison.differences(sum.votes, official: official.votes)
        rejected = sum.rejected - official.rejected
        totalCast = sum.totalCast - official.totalCast
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("differences") { $0.votes(differences) }
            w.member("equal", isEqual)
            w.member("rejected", rejected)
            w.member("stations", stations)
            w.member("totalCast", totalCast)
        }
    }
}
