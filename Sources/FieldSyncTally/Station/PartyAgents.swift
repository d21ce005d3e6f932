import FieldSyncModel

/// What was seen of one party's polling agents at a station.
///
/// Each device's latest agents report stands for that device; for each party, the latest of those
/// reports that names the party gives its presence.
public struct PartyAgents: Hashable, Sendable {
    public let party: String
    public let presence: AgentPresence
    /// The report that gave the presence.
    public let events: [EventID]

    public var jsonValue: JSONValue {
        ["party": .string(party), "presence": .string(presence.rawValue), "events": .ids(events)]
    }
}
