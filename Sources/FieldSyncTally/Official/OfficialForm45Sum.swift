import FieldSyncModel

/// The standing official Form-45s of a seat's stations, summed: how many stations have one, how many of those
/// differ from a field report, and their figures.
public struct OfficialForm45Sum: Hashable, Sendable, CanonicalPart {
    /// The seat's stations with a standing official Form-45 for the seat.
    public let stations: Int
    /// Those whose official Form-45 differs from some field report of the seat.
    public let differing: Int
    public let figures: Form45Figures
    /// The standing official Form-45 events, in id order.
    public let events: [EventID]

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("differing", differing)
            w.member("rejected", figures.rejected)
            w.member("stations", stations)
            w.member("totalCast", figures.totalCast)
            w.member("votes") { $0.votes(figures.votes) }
        }
    }
}
