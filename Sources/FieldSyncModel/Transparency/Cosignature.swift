/// A witness's cosignature of a signed tree head (PROTOCOL.md §17.7): an independent party (an auditor,
/// another newsroom, an observer group) states with its own Ed25519 key that it checked the head —
/// signed by the server key whose fingerprint it names, and consistent with every earlier head it saw.
///
/// It is a signed object under the protocol's rule (``SignedObject``):
/// `{"type":"fieldsync.tree-head-cosignature.v1","size":…,"root":…,"time":…,"server":…,"witness":…,"signature":…}`.
/// Its own `type` separates its signed bytes from those of a tree head, an event or any other signed
/// object; `server` binds it to one log's key, so it cannot be replayed for a head of another log.
public struct Cosignature: Hashable, Sendable {
    /// The `type` of a cosignature.
    public static let type = "fieldsync.tree-head-cosignature.v1"

    /// The head cosigned: its size, root and time, exactly as the server signed them.
    public let head: TreeHead
    /// The fingerprint of the server key that signed the head (``PublicKey/fingerprint``).
    public let server: SHA256Digest
    /// The witness's public key, which the signature is checked with.
    public let witness: PublicKey

    public init(head: TreeHead, server: SHA256Digest, witness: PublicKey) {
        self.head = head
        self.server = server
        self.witness = witness
    }

    /// The cosignature of `head`, signed by the server key `serverKey`, made with the witness's `key`.
    public static func signed(_ head: TreeHead, serverKey: PublicKey, with key: SigningKey) -> [String: JSONValue] {
        SignedObject.signed(
            [
                "type": .string(type), "size": .integer(head.size), "root": .string(head.root.hex),
                "time": .string(head.time.rfc3339UTC), "server": .string(serverKey.fingerprint.hex),
                "witness": .string(key.publicKey.base64URL),
            ], with: key)
    }

    /// The cosignature an object states, when it is one, exactly its members, validly signed by the key it
    /// names in `witness`; nil otherwise. Whether that key is a witness anyone trusts is for the caller.
    public init?(signed object: [String: JSONValue]) {
        guard object.count == 7, object["type"] == .string(Self.type),
            let size = object["size"]?.integerValue, size >= 0,
            let root = object["root"]?.stringValue.flatMap({ SHA256Digest(hex: $0) }),
            let timeText = object["time"]?.stringValue, let time = Timestamp(rfc3339: timeText),
            timeText == time.rfc3339UTC,
            let server = object["server"]?.stringValue.flatMap({ SHA256Digest(hex: $0) }),
            let witness = object["witness"]?.stringValue.flatMap({ PublicKey(base64URL: $0) }),
            SignedObject.isValid(object, signedBy: witness)
        else { return nil }
        self.init(head: TreeHead(size: size, root: root, time: time), server: server, witness: witness)
    }

    /// Whether this cosigns `head` as signed by `serverKey`.
    public func cosigns(_ head: TreeHead, serverKey: PublicKey) -> Bool {
        self.head == head && server == serverKey.fingerprint
    }
}
