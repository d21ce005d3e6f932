import FieldSyncModel
import Synchronization

/// This process's memory of the Merkle tree's right edge, valid only at the global chain head it was
/// recorded at, as ``DeviceHeadCache`` is for device heads: when an append finds the log at that head,
/// nobody appended since and the edge need not be read from the database.
final class TreeFrontierCache: Sendable {
    private let state = Mutex<(head: ChainHead, frontier: TreeFrontier)?>(nil)

    /// The edge of the tree of the log at `head`, if this is the head it was recorded at.
    func frontier(at head: ChainHead) -> TreeFrontier? {
        state.withLock { state in state.flatMap { $0.head == head ? $0.frontier : nil } }
    }

    /// The edge recorded when it is that of the tree of the first `size` events. An append records its
    /// edge before it commits, and one whose commit fails clears it (``clear()``): asked for a size the
    /// log holds, the edge is of the events stored.
    func frontier(size: Int64) -> TreeFrontier? {
        state.withLock { state in state.flatMap { $0.frontier.size == size ? $0.frontier : nil } }
    }

    /// Forgets the edge: an append failed, and may have recorded one for events never stored.
    func clear() {
        state.withLock { $0 = nil }
    }

    /// Records the edge of the tree of the log at `head`.
    func record(_ frontier: TreeFrontier, at head: ChainHead) {
        state.withLock { $0 = (head, frontier) }
    }
}
