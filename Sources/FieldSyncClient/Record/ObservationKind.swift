import FieldSyncModel

/// The observations a reporter records, by the word typed after `fieldsync record`.
public enum ObservationKind: String, Sendable, CaseIterable, Hashable {
    case opened
    case closed
    case agents
    case turnout
    case incident
    case result

    /// The event type it makes.
    public var type: EventType {
        switch self {
        case .opened: .stationOpened
        case .closed: .stationClosed
        case .agents: .agentsObserved
        case .turnout: .turnoutCounted
        case .incident: .incidentObserved
        case .result: .resultReported
        }
    }

    /// The kind of an observation type; nil for corrections and reference events.
    public init?(type: EventType) {
        guard let kind = Self.allCases.first(where: { $0.type == type }) else { return nil }
        self = kind
    }

    /// What the values after the kind are, for messages.
    var valuesName: String {
        switch self {
        case .opened, .closed: "no value"
        case .agents: "PARTY=PRESENCE"
        case .turnout: "VOTES"
        case .incident: "KIND DESCRIPTION"
        case .result: "CANDIDATE=VOTES"
        }
    }
}
