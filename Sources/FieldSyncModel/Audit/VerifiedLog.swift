/// What a verified export holds: how many events and devices, and the signed head that pins them.
public struct VerifiedLog: Hashable, Sendable {
    public let events: Int
    /// Devices with at least one event, not counting the server.
    public let devices: Int
    /// The last position, which the head pins.
    public let lastPosition: Int64
    /// The global chain link at ``lastPosition``.
    public let chain: SHA256Digest
    /// When the server signed the head, as written.
    public let headTime: String?
    /// The server key announced by the log's first event.
    public let serverKey: PublicKey?
    /// The root of the Merkle tree of the first ``ExportVerification/treeSize`` events, when one was asked
    /// for and the log holds that many.
    public var treeRoot: SHA256Digest?

    public init(
        events: Int, devices: Int, lastPosition: Int64, chain: SHA256Digest, headTime: String?, serverKey: PublicKey?
    ) {
        self.events = events
        self.devices = devices
        self.lastPosition = lastPosition
        self.chain = chain
        self.headTime = headTime
        self.serverKey = serverKey
    }
}
