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
        guard let json = try? JSONParser.parse(bytes) else {
            throw ProfileError("\(home.syncState) is not valid JSON: remove it, and the next sync rebuilds it")
        }
        return SyncState(json: json)
    }

    /// Replaces the state file atomically.
    public func save(home: ClientHome) throws {
        try DurableFile.replace(home.syncState, with: CanonicalJSON.bytes(jsonValue) + [0x0a], mode: 0o600)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "serverSeq": .integer(serverSeq), "serverHash": .string(serverHash.hex),
            "receiptedSeq": .integer(receiptedSeq), "receipts": .integer(Int64(receipts)),
            "conflicts": .array(conflicts.map(\.jsonValue)), "refused": .array(refused.map(\.jsonValue)),
        ]
        if let lastSync { object["lastSync"] = .string(lastSync.rfc3339UTC) }
        if let lastAttempt { object["lastAttempt"] = .string(lastAttempt.rfc3339UTC) }
        if let lastOutcome { object["lastOutcome"] = .string(lastOutcome) }
        if let lastMessage { object["lastMessage"] = .string(lastMessage) }
        if let referenceETag { object["referenceETag"] = .string(referenceETag) }
        if let referenceFetched { object["referenceFetched"] = .string(referenceFetched.rfc3339UTC) }
        return .object(object)
    }

    init(json: JSONValue) {
        serverSeq = json["serverSeq"]?.integerValue ?? 0
        serverHash = json["serverHash"]?.stringValue.flatMap { SHA256Digest(hex: $0) } ?? .zero
        receiptedSeq = json["receiptedSeq"]?.integerValue ?? 0
        receipts = Int(json["receipts"]?.integerValue ?? 0)
        lastSync = json["lastSync"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
        lastAttempt = json["lastAttempt"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
        lastOutcome = json["lastOutcome"]?.stringValue
        lastMessage = json["lastMessage"]?.stringValue
        conflicts = (json["conflicts"]?.arrayValue ?? []).compactMap(SyncConflict.init(json:))
        refused = (json["refused"]?.arrayValue ?? []).compactMap(RefusedEvent.init(json:))
        referenceETag = json["referenceETag"]?.stringValue
        referenceFetched = json["referenceFetched"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
    }
}

extension SyncConflict {
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "seq": .integer(seq), "id": .string(id), "reason": .string(reason), "detail": .string(detail),
        ]
        if let existingPosition { object["existingPosition"] = .integer(existingPosition) }
        return .object(object)
    }

    init?(json: JSONValue) {
        guard case .integer(let seq)? = json["seq"] else { return nil }
        self.init(
            seq: seq, id: json["id"]?.stringValue ?? "", reason: json["reason"]?.stringValue ?? "",
            existingPosition: json["existingPosition"]?.integerValue, detail: json["detail"]?.stringValue ?? "")
    }
}

extension RefusedEvent {
    public var jsonValue: JSONValue {
        ["seq": .integer(seq), "id": .string(id), "errors": .array(errors.map(\.jsonValue))]
    }

    init?(json: JSONValue) {
        guard case .integer(let seq)? = json["seq"] else { return nil }
        self.init(
            seq: seq, id: json["id"]?.stringValue ?? "",
            errors: (json["errors"]?.arrayValue ?? []).compactMap(FieldError.init(json:)))
    }
}
