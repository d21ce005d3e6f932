import FieldSyncModel

/// An observation as the fold keeps it: its identity, its author's place in its chain, its time and
/// its payload (a correction's payload is the correction).
struct ObservationRecord: Sendable {
    let id: EventID
    let device: DeviceID
    let seq: Int64
    let time: ObservedTime
    let payload: Payload

    init(_ event: Event) {
        id = event.id
        device = event.device
        seq = event.seq
        time = event.time
        payload = event.payload
    }
}
