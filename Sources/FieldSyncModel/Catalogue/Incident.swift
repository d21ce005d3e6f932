/// `fieldsync.incident.observed.v1`: something that went wrong at or around the station.
public struct Incident: ReadablePayload {
    public static let eventType = EventType.incidentObserved

    public var kind: IncidentKind
    public var severity: Severity
    /// What happened, in the reporter's words: up to 2,000 characters, line breaks allowed.
    public var description: String
    /// When it happened, if known and different from the event's time.
    public var occurredAt: ObservedTime?
    /// A photo of what happened, if one was taken: named by its hash, size and type (all three), its
    /// bytes sent after the events as a result's photo is.
    public var photo: PhotoReference?

    public init(
        kind: IncidentKind, severity: Severity, description: String, occurredAt: ObservedTime? = nil,
        photo: PhotoReference? = nil
    ) {
        self.kind = kind
        self.severity = severity
        self.description = description
        self.occurredAt = occurredAt
        self.photo = photo
    }

    init?(reading reader: inout ObjectReader) {
        let kind = reader.choice("kind", IncidentKind.self)
        let severity = reader.choice("severity", Severity.self)
        let description = reader.text("description", maxLength: TextLimit.description, multiline: true)
        let occurredAt = reader.time("occurredAt", required: false)
        let photo = reader.photo(detailsRequired: true)
        guard let kind, let severity, let description, reader.errors.isEmpty else { return nil }
        self.init(kind: kind, severity: severity, description: description, occurredAt: occurredAt, photo: photo)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "kind": .string(kind.rawValue), "severity": .string(severity.rawValue),
            "description": .string(description),
        ]
        if let occurredAt { object["occurredAt"] = .string(occurredAt.text) }
        photo?.addMembers(to: &object)
        return .object(object)
    }
}

/// The closed list of incident kinds.
public enum IncidentKind: String, CaseIterable, Sendable, Hashable {
    case violence
    case intimidation
    /// A party's polling agent made to leave.
    case agentExpelled = "agent-expelled"
    /// The presiding officer refused to hand over a copy of the Form-45.
    case form45Refused = "form45-refused"
    case ballotStuffing = "ballot-stuffing"
    case votersTurnedAway = "voters-turned-away"
    case lateOpening = "late-opening"
    case materialsMissing = "materials-missing"
    case powerOutage = "power-outage"
    case networkDown = "network-down"
    case other
}

/// How serious an incident is.
public enum Severity: String, CaseIterable, Sendable, Hashable, Comparable {
    case low
    case medium
    case high

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
