/// `fieldsync.agents.observed.v1`: which parties' polling agents were at the station.
public struct PollingAgents: ReadablePayload {
    public static let eventType = EventType.agentsObserved

    /// Party code → what the reporter saw of that party's agent. At least one party.
    public var agents: [String: AgentPresence]

    public init(agents: [String: AgentPresence]) {
        self.agents = agents
    }

    init?(reading reader: inout ObjectReader) {
        let agents: [String: AgentPresence]? = reader.object("agents") { nested in
            var agents = [String: AgentPresence]()
            for party in nested.object.keys {
                if !PartyRule.isValid(party) {
                    _ = nested.value(party, allowed: "")
                    nested.fail(party, .invalidFormat, "\"\(party)\" is not a party code", allowed: PartyRule.allowed)
                    continue
                }
                if let presence = nested.choice(party, AgentPresence.self) { agents[party] = presence }
            }
            if nested.object.isEmpty {
                nested.fail("", .empty, "no party listed", allowed: "at least one party")
            }
            return agents
        }
        guard let agents else { return nil }
        self.init(agents: agents)
    }

    public var jsonValue: JSONValue {
        ["agents": .object(agents.mapValues { .string($0.rawValue) })]
    }
}

/// What a reporter saw of one party's polling agent.
public enum AgentPresence: String, CaseIterable, Sendable, Hashable {
    case present
    case absent
    /// Made to leave the station.
    case expelled
}
