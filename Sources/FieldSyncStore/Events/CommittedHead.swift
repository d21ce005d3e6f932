import Synchronization

/// The highest position a store's appends have committed, kept after each commit.
final class CommittedHead: Sendable {
    private let state = Mutex<Int64>(0)

    var position: Int64 { state.withLock { $0 } }

    /// Notes a commit that made the log `position` long.
    func record(_ position: Int64) {
        state.withLock { $0 = max($0, position) }
    }
}
