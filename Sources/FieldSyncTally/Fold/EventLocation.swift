import FieldSyncModel

/// What the fold remembers of every event it has seen, by id: enough to place it in the log, check
/// a correction that names it, and find the station it is about.
public struct EventLocation: Hashable, Sendable {
    public let position: Int64
    public let device: DeviceID
    public let seq: Int64
    public let type: EventType
    /// The station an observation is about; nil for reference events.
    public let station: StationCode?

    public init(position: Int64, device: DeviceID, seq: Int64, type: EventType, station: StationCode?) {
        self.position = position
        self.device = device
        self.seq = seq
        self.type = type
        self.station = station
    }
}
