import FieldSyncModel

/// A tree head the server signed, as kept in `tree_heads`: the head and the signed document, in canonical
/// JSON, that is served as stored.
public struct StoredTreeHead: Sendable, Equatable {
    public var head: TreeHead
    /// The signed head in canonical JSON (RFC 8785), without a line feed.
    public var document: String

    public init(head: TreeHead, document: String) {
        self.head = head
        self.document = document
    }
}
