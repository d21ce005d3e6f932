import FieldSyncModel

/// What this device knows of the server, kept in `<home>/sync-state.json` apart from the log and
/// replaced atomically (temporary file, fsync, rename, fsync of the folder) after every batch.
///
/// Losing it loses nothing: the next sync asks the server for its head again.
public struct SyncState: Sendable, Hashable {
    /// The last seq of this device the server was known to hold, and that event's hash.
    public var serverSeq: Int64 = 0
    public var serverHash: SHA256Digest = .zero
    /// Every seq up to this one is covered by a receipt in `receipts.ndjson`.
    public var receiptedSeq: Int64 = 0
    /// How many receipts are kept.
    public var receipts: Int = 0
    /// When a sync last ended with everything on the server.
    public var lastSync: Timestamp?
    /// When a sync was last tried, and how it ended (a ``SyncOutcome`` name) and why.
    public var lastAttempt: Timestamp?
    public var lastOutcome: String?
    public var lastMessage: String?
    /// Events the server holds something else for, until a sync goes through.
    public var conflicts: [SyncConflict] = []
    /// Events the server refused, until a sync goes through.
    public var refused: [RefusedEvent] = []
    /// The ETag of the cached reference data, and when it was fetched.
    public var referenceETag: String?
    public var referenceFetched: Timestamp?

    public init() {}

    /// Reads the state of a home; a fresh state when there is none.
    public static func load(home: ClientHome) throws -> SyncState {
        guard let bytes = try DurableFile.contents(of: home.syncState) else { return SyncState() }
        do {
            return try ClientJSON.decode(SyncState.self, from: bytes)
        } catch {
            throw ProfileError(
                "\(home.syncState) is damaged (\(error)): remove it, and the next sync rebuilds it")
        }
    }

    /// Replaces the state file atomically.
    public func save(home: ClientHome) throws {
        try DurableFile.replace(home.syncState, with: try ClientJSON.encode(self) + [0x0a], mode: 0o600)
    }
}

/// `sync-state.json`: every member may be missing, and then reads as it is in a fresh state.
extension SyncState: Codable {
    private enum CodingKeys: String, CodingKey {
        case serverSeq, serverHash, receiptedSeq, receipts, lastSync, lastAttempt, lastOutcome, lastMessage
        case conflicts, refused, referenceETag, referenceFetched
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        serverSeq = try members.decodeIfPresent(Int64.self, forKey: .serverSeq) ?? 0
        serverHash = try members.decodeIfPresent(SHA256Digest.self, forKey: .serverHash) ?? .zero
        receiptedSeq = try members.decodeIfPresent(Int64.self, forKey: .receiptedSeq) ?? 0
        receipts = try members.decodeIfPresent(Int.self, forKey: .receipts) ?? 0
        lastSync = try members.decodeIfPresent(Timestamp.self, forKey: .lastSync)
        lastAttempt = try members.decodeIfPresent(Timestamp.self, forKey: .lastAttempt)
        lastOutcome = try members.decodeIfPresent(String.self, forKey: .lastOutcome)
        lastMessage = try members.decodeIfPresent(String.self, forKey: .lastMessage)
        conflicts = try members.decodeIfPresent([SyncConflict].self, forKey: .conflicts) ?? []
        refused = try members.decodeIfPresent([RefusedEvent].self, forKey: .refused) ?? []
        referenceETag = try members.decodeIfPresent(String.self, forKey: .referenceETag)
        referenceFetched = try members.decodeIfPresent(Timestamp.self, forKey: .referenceFetched)
    }

    public func encode(to encoder: any Encoder) throws {
        var members = encoder.container(keyedBy: CodingKeys.self)
        try members.encode(serverSeq, forKey: .serverSeq)
        try members.encode(serverHash, forKey: .serverHash)
        try members.encode(receiptedSeq, forKey: .receiptedSeq)
        try members.encode(receipts, forKey: .receipts)
        try members.encodeIfPresent(lastSync, forKey: .lastSync)
        try members.encodeIfPresent(lastAttempt, forKey: .lastAttempt)
        try members.encodeIfPresent(lastOutcome, forKey: .lastOutcome)
        try members.encodeIfPresent(lastMessage, forKey: .lastMessage)
        try members.encode(conflicts, forKey: .conflicts)
        try members.encode(refused, forKey: .refused)
        try members.encodeIfPresent(referenceETag, forKey: .referenceETag)
        try members.encodeIfPresent(referenceFetched, forKey: .referenceFetched)
    }
}

extension SyncConflict {
    /// As `sync --json` and `status --json` show it: the members it has in `sync-state.json`.
    public var jsonValue: JSONValue { ClientJSON.value(self) }
}

extension RefusedEvent {
    /// As `sync --json` and `status --json` show it: the members it has in `sync-state.json`.
    public var jsonValue: JSONValue { ClientJSON.value(self) }
}
