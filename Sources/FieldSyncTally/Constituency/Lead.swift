import FieldSyncModel

/// Who leads a seat on the counted votes: candidates in order of votes, ties broken by candidate
/// id (the lower id first).
public struct Lead: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let leader: CandidateID
    /// Nil when only one candidate stands.
    public let runnerUp: CandidateID?
    /// The leader's votes minus the runner-up's; nil without a runner-up.
    public let margin: Int?

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("leader", leader.rawValue)
            w.member("margin", margin)
            w.member("runnerUp", runnerUp?.rawValue)
        }
    }
}
