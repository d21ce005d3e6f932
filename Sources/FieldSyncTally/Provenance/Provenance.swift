import FieldSyncModel

/// The events behind one figure or one station's part in a figure.
public struct Provenance: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The station the events are about; nil for a seat's own figures (such as its flags).
    public let station: StationCode?
    /// What the events stand behind, such as `counted`, `disputed`, `live-turnout`, or a flag code.
    public let figure: String
    /// The status of the station's result for the seat, where that is what is explained.
    public let status: ResultStatus?
    /// In position order.
    public let events: [EventReference]

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("events") { $0.array(events) { $1.write(to: &$0) } }
            w.member("figure", figure)
            w.member("station", station?.rawValue)
            w.member("status", status?.rawValue)
        }
    }
}

/// The events behind every figure of a seat's tally.
///
/// Votes per candidate and per party, rejected ballots, total cast and turnout are sums over the
/// counted stations: `counted` lists each one's reports. The disputed ranges are over `disputed`;
/// the live turnout is each station's latest count, `liveTurnout`; each flag lists its own events.
public struct ConstituencyProvenance: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let constituency: ConstituencyCode
    /// One per reported or confirmed station, in station order.
    public let counted: [Provenance]
    /// One per disputed station, in station order.
    public let disputed: [Provenance]
    /// One per station with a turnout count, in station order.
    public let liveTurnout: [Provenance]
    /// One per flag of the seat, in flag order.
    public let flags: [Provenance]

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("constituency", constituency.rawValue)
            w.member("counted") { $0.array(counted) { $1.write(to: &$0) } }
            w.member("disputed") { $0.array(disputed) { $1.write(to: &$0) } }
            w.member("flags") { $0.array(flags) { $1.write(to: &$0) } }
            w.member("liveTurnout") { $0.array(liveTurnout) { $1.write(to: &$0) } }
        }
    }
}
