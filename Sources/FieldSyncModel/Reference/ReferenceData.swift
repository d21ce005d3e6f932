/// What the reference events of a log say: the server's key, the election, constituencies, polling stations,
/// candidates, devices and the stations they are assigned to. Built by folding reference events in log order; observations are ignored.
///
/// A later definition of the same code, id or device replaces the earlier one. Folding does not
/// judge: events are checked by ``EventValidator`` before they are stored.
public struct ReferenceData: Hashable, Sendable {
    /// The server's identity, from `fieldsync.server.identified.v1`.
    public private(set) var server: ServerIdentity?
    /// The election the log is about, from `fieldsync.election.defined.v1`; its calendar governs
    /// observation times.
    public private(set) var election: ElectionDefinition?
    public private(set) var constituencies: [ConstituencyCode: Constituency] = [:]
    public private(set) var stations: [StationCode: PollingStation] = [:]
    public private(set) var candidates: [CandidateID: Candidate] = [:]
    /// The enrolled devices kept (``devicesKept``), by id.
    public private(set) var devices: [DeviceID: EnrolledDevice] = [:]
    /// The stations each assigned device covers (``StationCoverage``).
    public private(set) var coverage: [DeviceID: StationCoverage] = [:]
    /// The ids of the candidates standing in each constituency, sorted.
    public private(set) var candidatesByConstituency: [ConstituencyCode: [CandidateID]] = [:]
    /// The codes of the stations voting in each constituency (NA and PS), sorted.
    public private(set) var stationsByConstituency: [ConstituencyCode: [StationCode]] = [:]

    /// Which enrolled devices ``devices`` keeps.
    public let devicesKept: DevicesKept

    /// Which enrolled devices reference data keeps. Checking signatures needs every device's key; a fold
    /// needs none of them, only the names of the staff who published or reviewed something, while a national
    /// day enrolls about 181,000 reporters' devices.
    public enum DevicesKept: Hashable, Sendable {
        /// Every device enrolled.
        case all
        /// The devices of editors, auditors and admins; a reporter's device is left out.
        case staff
    }

    /// Reference data that keeps the devices `devicesKept` says.
    public init(keeping devicesKept: DevicesKept = .all) {
        self.devicesKept = devicesKept
    }

    /// The reference data of a log.
    public init(events: some Sequence<Event>) {
        self.init()
        for event in events { apply(event) }
    }

    /// Folds one event in; observations change nothing.
    public mutating func apply(_ event: Event) {
        apply(event.payload)
    }

    /// Folds one payload in; observations change nothing.
    public mutating func apply(_ payload: Payload) {
        switch payload {
        case .serverIdentified(let identity):
            server = identity
        case .electionDefined(let definition):
            election = definition
        case .constituencyDefined(let constituency):
            constituencies[constituency.code] = constituency
        case .stationDefined(let station):
            if let old = stations[station.code] {
                for code in old.constituencies { stationsByConstituency[code]?.removeAll { $0 == old.code } }
            }
            stations[station.code] = station
            for code in station.constituencies { stationsByConstituency[code, default: []].insertSorted(station.code) }
        case .candidateDefined(let candidate):
            if let old = candidates[candidate.id] {
                candidatesByConstituency[old.constituency]?.removeAll { $0 == old.id }
            }
            candidates[candidate.id] = candidate
            candidatesByConstituency[candidate.constituency, default: []].insertSorted(candidate.id)
        case .deviceEnrolled(let enrollment):
            guard devicesKept == .all || enrollment.role != .reporter else {
                devices[enrollment.device] = nil
                break
            }
            devices[enrollment.device] = EnrolledDevice(
                device: enrollment.device, publicKey: enrollment.publicKey, reporter: enrollment.reporter,
                role: enrollment.role)
        case .deviceRevoked(let revocation):
            devices[revocation.device]?.revocationReason = revocation.reason
        case .deviceAssigned(let assignment):
            coverage[assignment.device, default: StationCoverage()].add(assignment)
        case .reportReviewed, .officialPublished, .stationOpened, .stationClosed, .agentsObserved, .turnoutCounted,
            .incidentObserved,
            .resultReported,
            .reportCorrected:
            break
        }
    }

    /// The candidates standing in `constituency`, in id order.
    public func candidates(in constituency: ConstituencyCode) -> [Candidate] {
        (candidatesByConstituency[constituency] ?? []).compactMap { candidates[$0] }
    }

    /// The stations voting in `constituency`, in code order.
    public func stations(in constituency: ConstituencyCode) -> [PollingStation] {
        (stationsByConstituency[constituency] ?? []).compactMap { stations[$0] }
    }

    /// The parties with a candidate in `constituency`, counting the backers of independents.
    public func parties(in constituency: ConstituencyCode) -> Set<String> {
        Set(candidates(in: constituency).compactMap(\.party))
    }

    /// The parties with a candidate in any seat `station` votes in.
    public func parties(at station: PollingStation) -> Set<String> {
        station.constituencies.reduce(into: Set<String>()) { $0.formUnion(parties(in: $1)) }
    }

    /// The key that signs `device`'s events: the server's key for ``DeviceID/server``.
    public func publicKey(of device: DeviceID) -> PublicKey? {
        device.isServer ? server?.publicKey : devices[device]?.publicKey
    }
}
