import FieldSyncModel

/// How many of a seat's polling stations are in each state.
public struct StationCounts: Hashable, Sendable, TallyDocument, CanonicalPart {
    public var total = 0
    public var reported = 0
    public var confirmed = 0
    public var verified = 0
    public var disputed = 0
    public var unreported = 0
    /// Stations with reports held for review (whatever their status from the reports that count).
    public var held = 0

    public init() {}

    /// Reported, confirmed and verified: the stations in the counted totals.
    public var counted: Int { reported + confirmed + verified }

    mutating func add(_ status: ResultStatus, held isHeld: Bool, _ sign: Int) {
        total += sign
        if isHeld { held += sign }
        switch status {
        case .unreported: unreported += sign
        case .reported: reported += sign
        case .confirmed: confirmed += sign
        case .verified: verified += sign
        case .disputed: disputed += sign
        }
    }

    mutating func add(_ other: StationCounts) {
        total += other.total
        reported += other.reported
        confirmed += other.confirmed
        verified += other.verified
        disputed += other.disputed
        unreported += other.unreported
        held += other.held
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("confirmed", confirmed)
            w.member("counted", counted)
            w.member("disputed", disputed)
            w.member("held", held)
            w.member("reported", reported)
            w.member("total", total)
            w.member("unreported", unreported)
            w.member("verified", verified)
        }
    }
}
