import FieldSyncModel

/// Which devices' observations at one station count: those of devices assigned to it (or whose
/// observations there an editor accepted), unless an editor rejected them. The others are held: kept,
/// shown to editors, but they neither count nor dispute (PROTOCOL.md §13, "Who counts").
///
/// The decision is per device and station, never per event, so a held device's corrections are held
/// with the observations they correct.
struct StationAdmission: Sendable {
    /// A device whose observations at the station are held, and its facts there.
    struct Held: Sendable {
        let device: DeviceID
        let reason: HoldReason
        /// The review that rejected them, for ``HoldReason/rejected``.
        let review: EventID?
        let facts: StationFacts
    }

    /// The facts of the devices that count.
    private(set) var admitted: StationFacts
    /// In device order.
    private(set) var held: [Held] = []

    init(
        code: StationCode, station: PollingStation?, facts: StationFacts, coverage: [DeviceID: StationCoverage]
    ) {
        admitted = facts
        var decided = [(DeviceID, HoldReason?, EventID?)]()
        func decide(_ device: DeviceID) {
            guard !decided.contains(where: { $0.0 == device }) else { return }
            let decision = facts.reviews.values.standing { record in
                record.review.device == device && record.review.decision != .verified
            }
            switch decision?.review.decision {
            case .rejected?: decided.append((device, .rejected, decision?.id))
            case .accepted?: decided.append((device, nil, nil))
            default:
                let covered = coverage[device]?.covers(code, definition: station) ?? false
                decided.append((device, covered ? nil : .unassigned, nil))
            }
        }
        for record in facts.observations.values { decide(record.device) }
        for record in facts.corrections.values { decide(record.device) }
        let holding = decided.filter { $0.1 != nil }
        guard !holding.isEmpty else { return }

        var kept = StationFacts(reviews: facts.reviews, official: facts.official, targets: facts.targets)
        var byDevice = [DeviceID: StationFacts]()
        let heldDevices = Set(holding.map(\.0))
        for (id, record) in facts.observations {
            if heldDevices.contains(record.device) {
                byDevice[record.device, default: StationFacts(targets: facts.targets)].observations[id] = record
            } else {
                kept.observations[id] = record
            }
        }
        for (id, record) in facts.corrections {
            if heldDevices.contains(record.device) {
                byDevice[record.device, default: StationFacts(targets: facts.targets)].corrections[id] = record
            } else {
                kept.corrections[id] = record
            }
        }
        admitted = kept
        held = holding.sorted { $0.0 < $1.0 }.map { device, reason, review in
            Held(
                device: device, reason: reason!, review: review,
                facts: byDevice[device] ?? StationFacts(targets: facts.targets))
        }
    }
}
