import FieldSyncModel

/// Who leads a seat on the counted votes: candidates in order of votes, ties broken by candidate
/// id (the lower id first).
public struct Lead: Hashable, Sendable {
    public let leader: CandidateID
    /// Nil when only one candidate stands.
    public let runnerUp: CandidateID?
    /// The leader's votes minus the runner-up's; nil without a runner-up.
    public let margin: Int?

    public var jsonValue: JSONValue {
        [
            "leader": .string(leader.rawValue), "runnerUp": .string(runnerUp?.rawValue), "margin": .int(margin),
        ]
    }
}
