/// `fieldsync.device.enrolled.v1`: a device's key, the person using it, and what they may do.
/// Subject: the device id, which must be the one derived from the key.
public struct DeviceEnrollment: ReadablePayload {
    public static let eventType = EventType.deviceEnrolled

    public var device: DeviceID
    public var publicKey: PublicKey
    /// The name of the person using the device.
    public var reporter: String
    public var role: DeviceRole

    /// An enrollment of the device holding `publicKey`.
    public init(publicKey: PublicKey, reporter: String, role: DeviceRole) {
        self.device = publicKey.deviceID
        self.publicKey = publicKey
        self.reporter = reporter
        self.role = role
    }

    init?(reading reader: inout ObjectReader) {
        let device = reader.device("device")
        let publicKey = reader.publicKey("publicKey")
        let reporter = reader.text("reporter", maxLength: TextLimit.name)
        let role = reader.choice("role", DeviceRole.self)
        if let device, let publicKey, device != publicKey.deviceID {
            reader.fail(
                "device", .sourceMismatch, "\(device) is not the device id of publicKey",
                allowed: "\(publicKey.deviceID) (the first 10 bytes of SHA-256 of the key, in hex)")
        }
        guard let publicKey, let reporter, let role, device != nil, reader.errors.isEmpty else { return nil }
        self.init(publicKey: publicKey, reporter: reporter, role: role)
    }

    public var jsonValue: JSONValue {
        [
            "device": .string(device.rawValue), "publicKey": .string(publicKey.base64URL),
            "reporter": .string(reporter), "role": .string(role.rawValue),
        ]
    }
}

/// What the person holding an enrolled device may do.
public enum DeviceRole: String, CaseIterable, Sendable, Hashable {
    /// Records observations at polling stations.
    case reporter
    /// Reads tallies and incidents in the newsroom.
    case editor
    /// Exports and verifies the history.
    case auditor
    /// Enrolls devices and loads reference data.
    case admin
}

/// `fieldsync.device.revoked.v1`: a device's events are no longer accepted from now on.
/// Subject: the device id.
public struct DeviceRevocation: ReadablePayload {
    public static let eventType = EventType.deviceRevoked

    public var device: DeviceID
    public var reason: String

    public init(device: DeviceID, reason: String) {
        self.device = device
        self.reason = reason
    }

    init?(reading reader: inout ObjectReader) {
        let device = reader.device("device")
        let reason = reader.text("reason", maxLength: TextLimit.description, multiline: true)
        guard let device, let reason else { return nil }
        self.init(device: device, reason: reason)
    }

    public var jsonValue: JSONValue {
        ["device": .string(device.rawValue), "reason": .string(reason)]
    }
}
