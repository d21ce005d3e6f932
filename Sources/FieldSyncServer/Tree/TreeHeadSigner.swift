import FieldSyncModel
import FieldSyncStore

/// Signs tree heads on demand and keeps each in the store: asked for the current head, it signs one for
/// the log as it stands when the log has grown past the last head and that head is at least ``interval``
/// old; otherwise it answers the last head. So heads are signed at most once an interval, only while
/// events arrive and someone reads them, and a head is never older than the interval while the log grows.
///
/// Signing on demand rather than on a timer costs nothing while nobody reads, and every head a reader is
/// shown is kept (`tree_heads`), so heads shown to two readers at one size can be compared.
///
/// A batch receipt needs a head that includes the batch at once (``covering(_:)``): it signs one for the
/// log as it stands whenever the last head is smaller than the batch, whatever its age. So heads are
/// signed at most once a batch, and batches are bounded by each device's push rate; a batch whose
/// events an earlier batch's head already covers (its duplicates) signs none.
actor TreeHeadSigner {
    let events: EventStore
    let key: SigningKey
    let interval: Duration
    /// The last head kept; nil until read from the store.
    private var latest: StoredTreeHead?
    /// When this process signed ``latest``; nil when it was read from the store.
    private var signedAt: ContinuousClock.Instant?

    init(events: EventStore, key: SigningKey, interval: Duration) {
        self.events = events
        self.key = key
        self.interval = interval
    }

    /// The head to show now: the last one, or a new one for the log as it stands (see the type).
    func current() async throws -> StoredTreeHead {
        if latest == nil { latest = try await events.latestTreeHead() }
        let size = try await events.head().position
        if let latest, latest.head.size >= size || signedAt.map({ ContinuousClock.now - $0 < interval }) == true {
            return latest
        }
        return try await sign(size: size)
    }

    /// The latest head when it covers the first `size` events; otherwise a new head, signed at once, for
    /// the log as far as this process has appended (`size` at most the events stored). That size is
    /// known without asking the database, and its root is usually the tree's edge the last append left
    /// (``EventStore/treeRoot(size:)``): the head of a batch's receipt costs no query but its keeping.
    func covering(_ size: Int64) async throws -> StoredTreeHead {
        if latest == nil { latest = try await events.latestTreeHead() }
        if let latest, latest.head.size >= size { return latest }
        return try await sign(size: max(size, events.lastCommittedPosition))
    }

    /// Signs and keeps the head of the first `size` events; answers the latest head kept.
    private func sign(size: Int64) async throws -> StoredTreeHead {
        let head = TreeHead(size: size, root: try await events.treeRoot(size: size), time: .now())
        let document = String(decoding: CanonicalJSON.bytes(.object(head.signed(with: key))), as: UTF8.self)
        let kept = try await events.keep(StoredTreeHead(head: head, document: document))
        if kept.head.size > latest?.head.size ?? -1 {
            latest = kept
            signedAt = .now
        }
        return latest!
    }
}
