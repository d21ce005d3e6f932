import FieldSyncModel

/// Who sent a request: an enrolled, unrevoked device, its role and the name of the person using it.
public struct Caller: Sendable, Hashable {
    public var device: DeviceID
    public var role: DeviceRole
    public var name: String

    public init(device: DeviceID, role: DeviceRole, name: String) {
        self.device = device
        self.role = role
        self.name = name
    }
}
