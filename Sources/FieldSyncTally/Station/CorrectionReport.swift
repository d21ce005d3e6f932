import FieldSyncModel

/// A correction at a station and what became of it.
public struct CorrectionReport: Hashable, Sendable, TallyDocument, CanonicalPart {
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

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("change", isRetraction ? "retraction" : "replacement")
            w.member("corrects", corrects)
            w.member("device", device.rawValue)
            w.member("event", event)
            switch outcome {
            case .applied:
                w.member("outcome", "applied")
                w.member("problem") { $0.null() }
                w.member("supersededBy") { $0.null() }
            case .superseded(let later):
                w.member("outcome", "superseded")
                w.member("problem") { $0.null() }
                w.member("supersededBy", later)
            case .notApplied(let problem):
                w.member("outcome", "not-applied")
                w.member("problem", problem.description)
                w.member("supersededBy") { $0.null() }
            }
        }
    }
}
