import FieldSyncModel

/// The store lacks subtrees of the log's Merkle tree that the events it holds complete: the tree was not
/// kept with the events (a database changed by hand, or events copied in without the append path).
public struct TreeNodesMissing: Error, Sendable, CustomStringConvertible {
    public let subtrees: [Subtree]

    public var description: String {
        "the Merkle tree lacks \(subtrees.count) subtree(s) of the events stored, first \(subtrees[0])"
    }
}
