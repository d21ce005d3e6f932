/// A device as the reference data knows it: its key, who uses it, what they may do, and whether it
/// has been revoked.
public struct EnrolledDevice: Hashable, Sendable {
    public var device: DeviceID
    public var publicKey: PublicKey
    public var reporter: String
    public var role: DeviceRole
    /// The reason given when the device was revoked; nil while it is in use.
    public var revocationReason: String?

    public init(
        device: DeviceID, publicKey: PublicKey, reporter: String, role: DeviceRole, revocationReason: String? = nil
    ) {
        self.device = device
        self.publicKey = publicKey
        self.reporter = reporter
        self.role = role
        self.revocationReason = revocationReason
    }

    public var isRevoked: Bool { revocationReason != nil }
}
