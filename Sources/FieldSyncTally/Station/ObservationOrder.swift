import FieldSyncModel

/// The order of observations: by observation time, ties broken by event id. "Latest" means the
/// greatest in this order.
struct ObservationOrder: Hashable, Comparable, Sendable {
    let instant: Timestamp
    let id: EventID

    static func < (lhs: ObservationOrder, rhs: ObservationOrder) -> Bool {
        lhs.instant != rhs.instant ? lhs.instant < rhs.instant : lhs.id < rhs.id
    }
}
