/// The `type` of an event: `fieldsync.<noun>.<verb>.v<version>`. Version 1 of the catalogue.
public enum EventType: String, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    // Reference data, made and signed by the server.
    case serverIdentified = "fieldsync.server.identified.v1"
    case electionDefined = "fieldsync.election.defined.v1"
    case constituencyDefined = "fieldsync.constituency.defined.v1"
    case stationDefined = "fieldsync.station.defined.v1"
    case candidateDefined = "fieldsync.candidate.defined.v1"
    case deviceEnrolled = "fieldsync.device.enrolled.v1"
    case deviceRevoked = "fieldsync.device.revoked.v1"
    case deviceAssigned = "fieldsync.device.assigned.v1"
    // Editors' decisions, made and signed by the server on an editor's request.
    case reportReviewed = "fieldsync.report.reviewed.v1"
    case officialPublished = "fieldsync.official.published.v1"
    // Observations, made and signed by reporters' devices.
    case stationOpened = "fieldsync.station.opened.v1"
    case stationClosed = "fieldsync.station.closed.v1"
    case agentsObserved = "fieldsync.agents.observed.v1"
    case turnoutCounted = "fieldsync.turnout.counted.v1"
    case incidentObserved = "fieldsync.incident.observed.v1"
    case resultReported = "fieldsync.result.reported.v1"
    case reportCorrected = "fieldsync.report.corrected.v1"

    /// Reference events: source `/server`, signed by the server key. Editors' reviews and official imports
    /// are made by the server too, and count among them.
    public var isReference: Bool {
        switch self {
        case .serverIdentified, .electionDefined, .constituencyDefined, .stationDefined, .candidateDefined,
            .deviceEnrolled, .deviceRevoked, .deviceAssigned, .reportReviewed, .officialPublished:
            true
        default:
            false
        }
    }

    /// Observations: source `/devices/<id>` of a reporter's device, subject a station code.
    public var isObservation: Bool { !isReference }

    /// Observations that a correction may replace: every observation but a correction.
    public var isCorrectable: Bool { isObservation && self != .reportCorrected }

    /// `fieldsync.<noun>.<verb>` without the version.
    public var name: String { String(rawValue.dropLast(3)) }

    public var version: Int { 1 }

    public var description: String { rawValue }

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }
}
