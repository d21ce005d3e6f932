import FieldSyncModel

/// Why a correction could not apply. A correction may only touch an earlier, correctable event of
/// the same device about the same station, and a replacement must be of the corrected event's type.
public enum CorrectionProblem: Hashable, Sendable, CustomStringConvertible {
    /// No event with that id is in the log (or in the part of it being replayed).
    case unknownEvent
    /// The event is another device's.
    case otherDevice(DeviceID)
    /// The event is not earlier in the device's own sequence.
    case notEarlier
    /// The event is a correction or reference data, which cannot be corrected.
    case notCorrectable(EventType)
    /// The event is about another station.
    case otherStation(StationCode)
    /// The replacement is not of the corrected event's type.
    case typeMismatch(replacement: EventType, corrected: EventType)

    public var description: String {
        switch self {
        case .unknownEvent: "no such event"
        case .otherDevice(let device): "the event is device \(device)'s"
        case .notEarlier: "the event is not earlier in the device's sequence"
        case .notCorrectable(let type): "a \(type.name) event cannot be corrected"
        case .otherStation(let station): "the event is about station \(station)"
        case .typeMismatch(let replacement, let corrected):
            "a \(replacement.name) cannot replace a \(corrected.name)"
        }
    }
}
