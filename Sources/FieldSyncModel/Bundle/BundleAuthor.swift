/// One author of a bundle, as its manifest states it: the device, the range of its sequence numbers the
/// bundle holds, and the chain link at each end: the `prevhash` of the first event (what the server must
/// hold before it) and the event hash of the last.
public struct BundleAuthor: Sendable, Hashable {
    public var device: DeviceID
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// The `prevhash` of the event `firstSeq`: the hash of the device's event `firstSeq − 1`, 64 zeros
    /// when `firstSeq` is 1.
    public var prevHash: SHA256Digest
    /// The event hash of the event `lastSeq`.
    public var lastHash: SHA256Digest

    public init(device: DeviceID, firstSeq: Int64, lastSeq: Int64, prevHash: SHA256Digest, lastHash: SHA256Digest) {
        self.device = device
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.prevHash = prevHash
        self.lastHash = lastHash
    }

    /// How many events of the device the bundle holds.
    public var events: Int64 { lastSeq - firstSeq + 1 }

    /// `{"device", "events", "firstSeq", "lastHash", "lastSeq", "prevhash"}`.
    public var jsonValue: JSONValue {
        [
            "device": .string(device.rawValue), "events": .integer(events), "firstSeq": .integer(firstSeq),
            "lastSeq": .integer(lastSeq), "prevhash": .string(prevHash.hex), "lastHash": .string(lastHash.hex),
        ]
    }

    /// Reads an author of a manifest; `events` must agree with the range.
    init(json: JSONValue, reader: BundleManifestReader) throws(BundleProblem) {
        let object = try reader.object(json, "an author")
        guard let device = DeviceID(try reader.string(object, "device")), !device.isServer else {
            throw reader.malformed("an author's device is not a device id (20 lowercase hex digits)")
        }
        self.init(
            device: device, firstSeq: try reader.integer(object, "firstSeq", minimum: 1),
            lastSeq: try reader.integer(object, "lastSeq", minimum: 1), prevHash: try reader.hash(object, "prevhash"),
            lastHash: try reader.hash(object, "lastHash"))
        guard lastSeq >= firstSeq, try reader.integer(object, "events", minimum: 1) == events else {
            throw reader.malformed(
                "the author \(device) states seq \(firstSeq)…\(lastSeq) and a number of events that do not agree")
        }
    }
}
