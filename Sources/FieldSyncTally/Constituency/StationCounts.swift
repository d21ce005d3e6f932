import FieldSyncModel

/// How many of a seat's polling stations are in each state.
public struct StationCounts: Hashable, Sendable, TallyDocument, CanonicalPart {
    public var total = 0
    public var reported = 0
    public var confirmed = 0
    public var disputed = 0
    public var unreported = 0

    public init() {}

    /// Reported and confirmed: the stations in the counted totals.
    public var counted: Int { reported + confirmed }

    mutating func add(_ status: ResultStatus, _ sign: Int) {
        total += sign
        switch status {
        case .unreported: unreported += sign
        case .reported: reported += sign
        case .confirmed: confirmed += sign
        case .disputed: disputed += sign
        }
    }

    mutating func add(_ other: StationCounts) {
        total += other.total
        reported += other.reported
        confirmed += other.confirmed
        disputed += other.disputed
        unreported += other.unreported
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("confirmed", confirmed)
            w.member("counted", counted)
            w.member("disputed", disputed)
            w.member("reported", reported)
            w.member("total", total)
            w.member("unreported", unreported)
        }
    }
}
