import FieldSyncModel

/// What became of one event handed to ``EventStore/append(_:conflictsKeptPerDevice:)``.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored at this position.
    case appended(position: Int64)
    /// Already stored, with the same content, at this position: nothing new was stored.
    case duplicate(position: Int64)
    /// Refused: it contradicts what is stored. Nothing was stored; the refusal was recorded, unless its
    /// device had as many recorded as the append keeps (``AppendResult/conflictsNotRecorded``).
    case conflict(AppendConflict)
    /// Refused: the device's previous event is not stored yet. The store expects this sequence number next.
    case gap(expectedSequence: Int64)

    /// The position of the stored event, for appended and duplicate outcomes.
    public var position: Int64? {
        switch self {
        case .appended(let position), .duplicate(let position): position
        case .conflict, .gap: nil
        }
    }
}

/// Why an event contradicts the store.
public struct AppendConflict: Sendable, Equatable, CustomStringConvertible {
    /// The wire's reasons, stored as their raw values in `event_conflicts`.
    public typealias Reason = ConflictReason

    public var reason: Reason
    /// The stored event it contradicts, when there is one.
    public var existingPosition: Int64?

    public init(reason: Reason, existingPosition: Int64? = nil) {
        self.reason = reason
        self.existingPosition = existingPosition
    }

    public var description: String {
        let at = existingPosition.map { " (stored event at position \($0))" } ?? ""
        switch reason {
        case .sameIDOtherContent:
            return "an event with this id is already stored with other content\(at)"
        case .sequenceTaken:
            return "this device's sequence number is already taken by another event\(at)"
        case .chainMismatch:
            return "prevhash is not the hash of this device's previous stored event\(at)"
        }
    }
}

/// The outcome of every event of a batch, in the batch's order, and the chain head after it.
public struct AppendResult: Sendable, Equatable {
    public var outcomes: [AppendOutcome]
    /// The global chain's head once the batch committed.
    public var head: ChainHead
    /// Conflicts answered as such but not recorded in `event_conflicts`: their device had reached the
    /// number of recorded conflicts the append keeps.
    public var conflictsNotRecorded = 0

    public var appendedCount: Int {
        outcomes.reduce(0) { count, outcome in
            if case .appended = outcome { count + 1 } else { count }
        }
    }
}

/// A batch refused whole because the log holds a revocation of some of its devices: nothing of it was
/// stored. See ``EventStore/append(_:conflictsKeptPerDevice:)``.
public struct DevicesRevoked: Error, Sendable, Equatable, CustomStringConvertible {
    /// The revoked devices of the batch, in order.
    public var devices: [String]

    public var description: String { "revoked: \(devices.joined(separator: ", "))" }
}
