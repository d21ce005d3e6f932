/// A tree head (PROTOCOL.md §17.3): the size and root of the log's Merkle tree at a moment, which the
/// server signs as `{"type":"fieldsync.tree-head.v1","size":…,"root":…,"time":…,"publicKey":…,"signature":…}`
/// under the protocol's rule for signed objects (``SignedObject``).
public struct TreeHead: Hashable, Sendable {
    /// The `type` of a signed tree head.
    public static let type = "fieldsync.tree-head.v1"

    /// How many events the tree covers: positions 1 … size.
    public let size: Int64
    /// The tree's root.
    public let root: SHA256Digest
    /// When the server signed it.
    public let time: Timestamp

    public init(size: Int64, root: SHA256Digest, time: Timestamp) {
        self.size = size
        self.root = root
        self.time = time
    }

    /// The head signed by `key`, with the key's public half in `publicKey`.
    public func signed(with key: SigningKey) -> [String: JSONValue] {
        SignedObject.signed(
            [
                "type": .string(Self.type), "size": .integer(size), "root": .string(root.hex),
                "time": .string(time.rfc3339UTC), "publicKey": .string(key.publicKey.base64URL),
            ], with: key)
    }

    /// The member in which the server serves a head with witnesses' cosignatures (PROTOCOL.md §17.7); it is
    /// not signed by the server, so it is left out when the head's signature is checked.
    public static let cosignaturesMember = "cosignatures"

    /// The head a signed object states, when it is a tree head validly signed by `key` (which it must also
    /// name in `publicKey`, if it has one); nil otherwise. A `cosignatures` member is not part of it.
    public init?(signed served: [String: JSONValue], by key: PublicKey) {
        var object = served
        object[Self.cosignaturesMember] = nil
        guard object["type"] == .string(Self.type), let size = object["size"]?.integerValue, size >= 0,
            let root = object["root"]?.stringValue.flatMap({ SHA256Digest(hex: $0) }),
            let time = object["time"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
            object["publicKey"].map({ $0 == .string(key.base64URL) }) ?? true,
            SignedObject.isValid(object, signedBy: key)
        else { return nil }
        self.init(size: size, root: root, time: time)
    }
}
