import FieldSyncModel

/// One event as the store keeps it: the signed envelope's fields, flattened into columns.
///
/// The store does not interpret events: the server checks them (schema, signature, rights) before it
/// appends them, and readers rebuild the envelope from these fields.
public struct EventRecord: Sendable, Equatable {
    /// The event's UUID, lowercase.
    public var id: String
    /// The device that made and signed it, `server` for the server's own events.
    public var deviceID: String
    /// The device's sequence number, from 1.
    public var sequence: Int64
    public var type: String
    public var subject: String
    /// The polling station the event concerns, if any.
    public var station: String?
    /// The observed time exactly as signed.
    public var time: String
    /// The observed time as an instant.
    public var observedAt: Timestamp
    /// The event's `data`, as JSON text.
    public var payload: String
    public var hash: SHA256Digest
    public var previousHash: SHA256Digest
    public var signature: [UInt8]

    public init(
        id: String, deviceID: String, sequence: Int64, type: String, subject: String, station: String?,
        time: String, observedAt: Timestamp, payload: String, hash: SHA256Digest, previousHash: SHA256Digest,
        signature: [UInt8]
    ) {
        self.id = id
        self.deviceID = deviceID
        self.sequence = sequence
        self.type = type
        self.subject = subject
        self.station = station
        self.time = time
        self.observedAt = observedAt
        self.payload = payload
        self.hash = hash
        self.previousHash = previousHash
        self.signature = signature
    }
}

/// An event as stored: its record plus the fields the server added.
public struct StoredEventRecord: Sendable, Equatable {
    public var record: EventRecord
    /// Its place in the global order, from 1, without gaps.
    public var position: Int64
    /// When the server stored it.
    public var received: Timestamp
    /// The global chain link at its position.
    public var chain: SHA256Digest
}

/// The end of the global chain: the last position and its link.
public struct ChainHead: Sendable, Equatable, Hashable {
    public var position: Int64
    public var chain: SHA256Digest

    public init(position: Int64, chain: SHA256Digest) {
        self.position = position
        self.chain = chain
    }

    /// The head of an empty store.
    public static let empty = ChainHead(position: 0, chain: GlobalChain.genesis)
}
