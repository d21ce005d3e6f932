import FieldSyncModel

/// An observation as it stands after corrections: the original event's place (its id and time),
/// with the original's payload or the replacement that superseded it.
struct EffectiveObservation: Sendable {
    /// The id of the original event: the place the observation keeps in every ordering.
    let place: EventID
    let device: DeviceID
    /// The original event's observation time.
    let time: ObservedTime
    let payload: Payload
    /// The correction that stands on the original event, if any.
    let correction: EventID?

    /// The original event, then the correction that stands on it, if any.
    var events: [EventID] { correction.map { [place, $0] } ?? [place] }

    var order: ObservationOrder { ObservationOrder(instant: time.instant, id: place) }
}

extension Sequence where Element == EffectiveObservation {
    /// Each device's latest observation.
    /// (A station has a few devices: a short list searched in line beats hashing device ids.)
    func latestPerDevice() -> [EffectiveObservation] {
        var latest = [EffectiveObservation]()
        for observation in self {
            if let index = latest.firstIndex(where: { $0.device == observation.device }) {
                if latest[index].order < observation.order { latest[index] = observation }
            } else {
                latest.append(observation)
            }
        }
        return latest
    }
}
