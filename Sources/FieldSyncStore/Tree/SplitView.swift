import FieldSyncModel

/// Two tree heads of one size with different roots, both signed by the server key: the log was shown in
/// two versions. The documents are the two signed heads in canonical JSON, the smaller root first.
public struct SplitView: Sendable, Equatable {
    public var size: Int64
    public var documents: [String]
    public var found: Timestamp

    public init(size: Int64, documents: [String], found: Timestamp) {
        self.size = size
        self.documents = documents
        self.found = found
    }
}
