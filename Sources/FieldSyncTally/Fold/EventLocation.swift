import FieldSyncModel

/// What the fold remembers of every event it has seen, by id: enough to place it in the log, check
/// a correction that names it, and find the station it is about.
struct EventLocation: Hashable, Sendable {
    let position: Int64
    let device: DeviceID
    let seq: Int64
    let type: EventType
    /// The station an observation is about; nil for reference events.
    let station: StationCode?
}
