import FieldSyncModel

/// A seat's disputed stations, left out of the counted totals: which they are, and the least and
/// most rejected ballots and votes cast they could add (each candidate's range is on the candidate).
public struct DisputedVotes: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// In code order.
    public let stations: [StationCode]
    public let rejectedMinimum: Int
    public let rejectedMaximum: Int
    public let totalCastMinimum: Int
    public let totalCastMaximum: Int

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("rejected") { $0.range(rejectedMinimum...rejectedMaximum) }
            w.member("stations") { $0.array(stations) { $0.value($1.rawValue) } }
            w.member("totalCast") { $0.range(totalCastMinimum...totalCastMaximum) }
        }
    }
}
