/// The decoded `data` of an event, one case per event type of the catalogue.
///
/// The election's definition, far larger than any other payload (its five times and its names) and one
/// event in a log, is kept apart: a payload is the size of its largest case, and every observation a
/// projector holds keeps one.
public enum Payload: Hashable, Sendable {
    case serverIdentified(ServerIdentity)
    indirect case electionDefined(ElectionDefinition)
    case constituencyDefined(Constituency)
    case stationDefined(PollingStation)
    case candidateDefined(Candidate)
    case deviceEnrolled(DeviceEnrollment)
    case deviceRevoked(DeviceRevocation)
    case deviceAssigned(StationAssignment)
    case reportReviewed(ReportReview)
    case officialPublished(OfficialResult)
    case stationOpened(StationOpened)
    case stationClosed(StationClosed)
    case agentsObserved(PollingAgents)
    case turnoutCounted(TurnoutCount)
    case incidentObserved(Incident)
    case resultReported(Form45Result)
    case reportCorrected(Correction)

    /// The event type this payload belongs to.
    public var type: EventType {
        switch self {
        case .serverIdentified: .serverIdentified
        case .electionDefined: .electionDefined
        case .constituencyDefined: .constituencyDefined
        case .stationDefined: .stationDefined
        case .candidateDefined: .candidateDefined
        case .deviceEnrolled: .deviceEnrolled
        case .deviceRevoked: .deviceRevoked
        case .deviceAssigned: .deviceAssigned
        case .reportReviewed: .reportReviewed
        case .officialPublished: .officialPublished
        case .stationOpened: .stationOpened
        case .stationClosed: .stationClosed
        case .agentsObserved: .agentsObserved
        case .turnoutCounted: .turnoutCounted
        case .incidentObserved: .incidentObserved
        case .resultReported: .resultReported
        case .reportCorrected: .reportCorrected
        }
    }

    /// The `data` object.
    public var jsonValue: JSONValue {
        switch self {
        case .serverIdentified(let payload): payload.jsonValue
        case .electionDefined(let payload): payload.jsonValue
        case .constituencyDefined(let payload): payload.jsonValue
        case .stationDefined(let payload): payload.jsonValue
        case .candidateDefined(let payload): payload.jsonValue
        case .deviceEnrolled(let payload): payload.jsonValue
        case .deviceRevoked(let payload): payload.jsonValue
        case .deviceAssigned(let payload): payload.jsonValue
        case .reportReviewed(let payload): payload.jsonValue
        case .officialPublished(let payload): payload.jsonValue
        case .stationOpened(let payload): payload.jsonValue
        case .stationClosed(let payload): payload.jsonValue
        case .agentsObserved(let payload): payload.jsonValue
        case .turnoutCounted(let payload): payload.jsonValue
        case .incidentObserved(let payload): payload.jsonValue
        case .resultReported(let payload): payload.jsonValue
        case .reportCorrected(let payload): payload.jsonValue
        }
    }

    /// The subject a reference event about this payload has (the code, id or device it defines);
    /// nil for observations, whose subject is the station.
    public var referenceSubject: String? {
        switch self {
        case .serverIdentified: "server"
        case .electionDefined(let election): election.id
        case .constituencyDefined(let constituency): constituency.code.rawValue
        case .stationDefined(let station): station.code.rawValue
        case .candidateDefined(let candidate): candidate.id.rawValue
        case .deviceEnrolled(let enrollment): enrollment.device.rawValue
        case .deviceRevoked(let revocation): revocation.device.rawValue
        case .deviceAssigned(let assignment): assignment.device.rawValue
        case .reportReviewed(let review): review.station.rawValue
        case .officialPublished(let official): official.subject
        default: nil
        }
    }

    /// Decodes the `data` of an event of `type`, adding every problem to `errors`.
    /// `path` is where the data sits in the event (`data`, or `data.replacement.data`).
    public static func decode(
        type: EventType, data: JSONValue, at path: String = "data", errors: inout [FieldError]
    )
        -> Payload?
    {
        switch type {
        case .serverIdentified: read(ServerIdentity.self, data, path, &errors).map { .serverIdentified($0) }
        case .electionDefined: read(ElectionDefinition.self, data, path, &errors).map { .electionDefined($0) }
        case .constituencyDefined: read(Constituency.self, data, path, &errors).map { .constituencyDefined($0) }
        case .stationDefined: read(PollingStation.self, data, path, &errors).map { .stationDefined($0) }
        case .candidateDefined: read(Candidate.self, data, path, &errors).map { .candidateDefined($0) }
        case .deviceEnrolled: read(DeviceEnrollment.self, data, path, &errors).map { .deviceEnrolled($0) }
        case .deviceRevoked: read(DeviceRevocation.self, data, path, &errors).map { .deviceRevoked($0) }
        case .deviceAssigned: read(StationAssignment.self, data, path, &errors).map { .deviceAssigned($0) }
        case .reportReviewed: read(ReportReview.self, data, path, &errors).map { .reportReviewed($0) }
        case .officialPublished: read(OfficialResult.self, data, path, &errors).map { .officialPublished($0) }
        case .stationOpened: read(StationOpened.self, data, path, &errors).map { .stationOpened($0) }
        case .stationClosed: read(StationClosed.self, data, path, &errors).map { .stationClosed($0) }
        case .agentsObserved: read(PollingAgents.self, data, path, &errors).map { .agentsObserved($0) }
        case .turnoutCounted: read(TurnoutCount.self, data, path, &errors).map { .turnoutCounted($0) }
        case .incidentObserved: read(Incident.self, data, path, &errors).map { .incidentObserved($0) }
        case .resultReported: read(Form45Result.self, data, path, &errors).map { .resultReported($0) }
        case .reportCorrected: read(Correction.self, data, path, &errors).map { .reportCorrected($0) }
        }
    }

    /// Decodes the `data` of an event of `type`, or throws every problem found.
    public static func decode(type: EventType, data: JSONValue) throws(EventDecodingError) -> Payload {
        var errors = [FieldError]()
        guard let payload = decode(type: type, data: data, errors: &errors), errors.isEmpty else {
            throw EventDecodingError(errors)
        }
        return payload
    }

    private static func read<T: ReadablePayload>(
        _: T.Type, _ data: JSONValue, _ path: String, _ errors: inout [FieldError]
    ) -> T? {
        var local = [FieldError]()
        guard var reader = ObjectReader(data, at: path, errors: &local) else {
            errors += local
            return nil
        }
        let payload = T(reading: &reader)
        reader.finish(into: &local)
        errors += local
        return local.isEmpty ? payload : nil
    }
}
