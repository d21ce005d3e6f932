/// The tasks waiting for a connection of a ``PostgresPool``, first come, first served. A waiter leaves
/// the queue when it is woken, or at once when its task is cancelled.
struct ConnectionWaiters {
    typealias Waiter = CheckedContinuation<Void, any Error>

    private var next = 0
    private var queue: [(id: Int, waiter: Waiter)] = []

    var count: Int { queue.count }

    /// A number for the next waiter, to find it again when its task is cancelled.
    mutating func nextID() -> Int {
        next += 1
        return next
    }

    mutating func append(_ waiter: Waiter, id: Int) {
        queue.append((id, waiter))
    }

    /// The first waiter, out of the queue.
    mutating func removeFirst() -> Waiter? {
        queue.isEmpty ? nil : queue.removeFirst().waiter
    }

    /// The waiter numbered `id`, out of the queue; nil if it was woken already.
    mutating func remove(id: Int) -> Waiter? {
        guard let index = queue.firstIndex(where: { $0.id == id }) else { return nil }
        return queue.remove(at: index).waiter
    }

    /// Every waiter, out of the queue.
    mutating func removeAll() -> [Waiter] {
        defer { queue.removeAll() }
        return queue.map(\.waiter)
    }
}
