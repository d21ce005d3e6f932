import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally

/// What the live stream has sent of each seat, district and city document: the SHA-256 of each of its
/// members, as of the feed's last event. A document that changes again is sent as only the members whose
/// bytes differ from those (``changedMembers(of:)``); a document the baseline does not hold, whole.
///
/// A client that applied every event since it read the documents holds, for each document, exactly what
/// the baseline describes: replacing the members an event names brings it to the event's position.
struct LiveBaseline: Sendable {
    private var documents: [Key: [String: SHA256Digest]] = [:]

    private struct Key: Hashable, Sendable {
        var kind: TallyRow.Kind
        var key: String
    }

    /// How many documents the baseline holds.
    var count: Int { documents.count }

    /// The members of `document` whose bytes differ from the baseline's (every member of a document the
    /// baseline does not hold), and the baseline moved to `document`.
    mutating func changedMembers(of document: TallySnapshot.Document) throws -> [String: JSONValue] {
        guard case .object(let members) = try JSONParser.parse(document.bytes) else {
            throw JSONParseError(offset: 0, reason: .unexpected(found: document.bytes.first ?? 0, expected: "{"))
        }
        let key = Key(kind: document.kind, key: document.key)
        let before = documents[key] ?? [:]
        var after: [String: SHA256Digest] = [:]
        var changed: [String: JSONValue] = [:]
        for (name, value) in members {
            let digest = SHA256Digest.hash(CanonicalJSON.bytes(value))
            after[name] = digest
            if before[name] != digest { changed[name] = value }
        }
        // A member that is gone (never, for documents whose members are all always present) is sent as null.
        for name in before.keys where after[name] == nil { changed[name] = .null }
        documents[key] = after
        return changed
    }

    /// Forgets every document: the next change of each is sent whole (after a change too large to send,
    /// whose documents the baseline never saw).
    mutating func removeAll() {
        documents.removeAll()
    }
}
