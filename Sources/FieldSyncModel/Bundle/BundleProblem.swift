/// Why a bundle cannot be read, or cannot be made: its ``Kind`` and, for a chain that does not hold,
/// which device and which sequence number.
public struct BundleProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of fault: the server answers each with its own problem type.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Not a bundle: no manifest, an unknown format or version, a line that is neither an event nor a
        /// photo.
        case malformed
        /// Fewer bytes than its manifest states: cut short on the way.
        case truncated
        /// The bytes are not those the manifest describes: a hash, a count or a photo differs.
        case tampered
        /// A device's events do not follow on: a sequence number is missing, or an event does not link to
        /// the one before it.
        case chainBroken = "chain-broken"
        /// Two bundles being merged hold different events under one device's sequence number.
        case chainsDiffer = "chains-differ"
    }

    public var kind: Kind
    /// The device whose events are at fault, when one is.
    public var device: DeviceID?
    /// The sequence number at fault, when one is.
    public var seq: Int64?
    /// What is wrong, in a sentence that names the device and sequence number.
    public var detail: String

    public init(_ kind: Kind, _ detail: String, device: DeviceID? = nil, seq: Int64? = nil) {
        self.kind = kind
        self.detail = detail
        self.device = device
        self.seq = seq
    }

    public var description: String { detail }
}
