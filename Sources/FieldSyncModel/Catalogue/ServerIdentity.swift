/// `fieldsync.server.identified.v1`: the server's public key, the trust anchor an auditor pins.
/// The first event of every log; subject `server`; signed by that same key.
public struct ServerIdentity: ReadablePayload {
    public static let eventType = EventType.serverIdentified

    public var publicKey: PublicKey
    /// The name the server goes by, such as "FieldSync Karachi 2024".
    public var name: String

    public init(publicKey: PublicKey, name: String) {
        self.publicKey = publicKey
        self.name = name
    }

    init?(reading reader: inout ObjectReader) {
        let publicKey = reader.publicKey("publicKey")
        let name = reader.text("name", maxLength: TextLimit.name)
        guard let publicKey, let name else { return nil }
        self.init(publicKey: publicKey, name: name)
    }

    public var jsonValue: JSONValue {
        ["publicKey": .string(publicKey.base64URL), "name": .string(name)]
    }
}
