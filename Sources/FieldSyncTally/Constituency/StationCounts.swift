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

    /// Adds another's counts; with `sign` -1, takes them back.
    mutating func add(_ other: StationCounts, sign: Int = 1) {
        total += sign * other.total
        reported += sign * other.reported
        confirmed += sign * other.confirmed
        verified += sign * other.verified
        disputed += sign * other.disputed
        unreported += sign * other.unreported
        held += sign * other.held
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
