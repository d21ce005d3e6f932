import FieldSyncModel

/// A witness an admin registered: the server takes cosignatures from its key.
public struct RegisteredWitness: Sendable, Equatable {
    public var name: String
    public var key: PublicKey
    public var added: Timestamp

    public init(name: String, key: PublicKey, added: Timestamp) {
        self.name = name
        self.key = key
        self.added = added
    }
}
