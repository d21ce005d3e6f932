import FieldSyncModel
import FieldSyncStore

/// The reference data in memory: read from the log's reference events at start, then brought up to
/// date when this process appends reference events, when another process's append is notified, and when
/// a request names a device it does not know yet.
public actor ReferenceCache {
    let store: EventStore
    public private(set) var snapshot = ReferenceSnapshot()

    /// The reference event types, as stored.
    /// Official figures are not reference data (``ReferenceData`` ignores them) and can be many: not read.
    static let types = EventType.allCases.filter { $0.isReference && $0 != .officialPublished }.map(\.rawValue)

    /// How many events one read takes.
    let pageSize: Int

    public init(store: EventStore) {
        self.init(store: store, pageSize: 2_000)
    }

    init(store: EventStore, pageSize: Int) {
        self.store = store
        self.pageSize = max(1, pageSize)
    }

    /// Reads the reference events stored after the last one read, and returns the snapshot.
    ///
    /// Refreshes may overlap (the actor is re-entered while one awaits the database): each reads a
    /// complete run of events after some position, and an event is folded in only once, in order.
    @discardableResult
    public func refresh() async throws -> ReferenceSnapshot {
        while true {
            let page = try await store.events(types: Self.types, after: snapshot.position, limit: pageSize)
            for record in page where record.position > snapshot.position {
                snapshot.apply(try record.storedEvent())
            }
            if page.count < pageSize { return snapshot }
        }
    }
}
