import FieldSyncModel

/// A correction at a station and what became of it.
public struct CorrectionReport: Hashable, Sendable {
    /// The correction event.
    public let event: EventID
    public let device: DeviceID
    /// The event it names.
    public let corrects: EventID
    /// Whether it replaces the event or retracts it.
    public let isRetraction: Bool
    public let outcome: Outcome

    public enum Outcome: Hashable, Sendable {
        /// It stands: the replacement takes the corrected event's place, or the retraction removes it.
        case applied
        /// A later correction of the same event by the same device stands instead.
        case superseded(by: EventID)
        /// It names no earlier, correctable event of the same device at this station.
        case notApplied(CorrectionProblem)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "event": .string(event.description), "device": .string(device.rawValue),
            "corrects": .string(corrects.description), "change": .string(isRetraction ? "retraction" : "replacement"),
            "supersededBy": .null, "problem": .null,
        ]
        switch outcome {
        case .applied:
            object["outcome"] = "applied"
        case .superseded(let later):
            object["outcome"] = "superseded"
            object["supersededBy"] = .string(later.description)
        case .notApplied(let problem):
            object["outcome"] = "not-applied"
            object["problem"] = .string(problem.description)
        }
        return .object(object)
    }
}
