import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

extension TallyCutoff {
    /// The types a cutoff by time keeps whatever their time (``typesKeptAtAnyTime``), as SQL literals.
    static let typesKeptAtAnyTimeLiterals = literals(typesKeptAtAnyTime)

    /// `types` as a parenthesised SQL list of literals: written out, not bound, so that the planner sees them.
    static func literals(_ types: Set<EventType>) -> String {
        "(" + types.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ") + ")"
    }

    /// The condition a row of `events` meets when this cutoff includes its event (``includes(_:)``).
    var condition: SQL {
        switch self {
        case .position(let position):
            "position <= \(position)"
        case .observedAtOrBefore(let time):
            "(observed_at <= \(time) OR type IN \(unsafeRaw: Self.typesKeptAtAnyTimeLiterals))"
        }
    }
}
