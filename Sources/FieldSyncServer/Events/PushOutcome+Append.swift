import FieldSyncModel
import FieldSyncStore

extension PushOutcome {
    /// The answer for an event the store was handed: the one place a store's outcome becomes the wire's.
    init(_ outcome: AppendOutcome) {
        switch outcome {
        case .appended(let position): self = .appended(position: position)
        case .duplicate(let position): self = .duplicate(position: position)
        case .conflict(let conflict):
            self = .conflict(
                reason: conflict.reason, existingPosition: conflict.existingPosition, detail: conflict.description)
        case .gap(let expected): self = .gap(expectedSeq: expected)
        }
    }
}
