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
    /// The original event, then the correction applied to it, if any.
    let events: [EventID]

    var order: ObservationOrder { ObservationOrder(instant: time.instant, id: place) }
}

extension Sequence where Element == EffectiveObservation {
    /// Each device's latest observation.
    func latestPerDevice() -> [DeviceID: EffectiveObservation] {
        var latest = [DeviceID: EffectiveObservation]()
        for observation in self {
            if let current = latest[observation.device], observation.order < current.order { continue }
            latest[observation.device] = observation
        }
        return latest
    }
}
