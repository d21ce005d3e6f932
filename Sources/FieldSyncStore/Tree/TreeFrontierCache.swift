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

    /// Records the edge of the tree of the log at `head`.
    func record(_ frontier: TreeFrontier, at head: ChainHead) {
        state.withLock { $0 = (head, frontier) }
    }
}
