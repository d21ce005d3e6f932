import FieldSyncModel

/// What was seen of one party's polling agents at a station.
///
/// Each device's latest agents report stands for that device; for each party, the latest of those
/// reports that names the party gives its presence.
public struct PartyAgents: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let party: String
    public let presence: AgentPresence
    /// The report that gave the presence, and the correction that stands on it, if any.
    public let event: EventID
    public let correction: EventID?

    public var events: [EventID] { correction.map { [event, $0] } ?? [event] }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("events", event, correction)
            w.member("party", party)
            w.member("presence", presence.rawValue)
        }
    }
}
