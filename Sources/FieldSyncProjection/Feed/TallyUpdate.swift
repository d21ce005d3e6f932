import FieldSyncStore
import FieldSyncTally

/// What one applied batch changed, announced after its transaction commits.
public struct TallyUpdate: Sendable, Hashable {
    /// The projector's checkpoint after the batch.
    public var position: Int64
    public var changes: TallyChanges
    /// Whether everything was replaced by a rebuild.
    public var isRebuild: Bool
}
