import FieldSyncModel

/// The counted figures of a Form-45: votes per candidate, rejected ballots, total cast. Two reports
/// agree when these agree (a candidate left out counts as 0 votes); the registered voters printed on
/// the form are not compared.
public struct Form45Figures: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let votes: [CandidateID: Int]
    public let rejected: Int
    public let totalCast: Int

    public init(votes: [CandidateID: Int], rejected: Int, totalCast: Int) {
        self.votes = votes
        self.rejected = rejected
        self.totalCast = totalCast
    }

    init(_ result: Form45Result) {
        self.init(votes: result.votes, rejected: result.rejected, totalCast: result.totalCast)
    }

    /// The sum of the candidates' votes.
    public var validVotes: Int { votes.values.reduce(0, +) }

    /// Votes for `candidate`, 0 if the form does not list them.
    public func votes(for candidate: CandidateID) -> Int { votes[candidate] ?? 0 }

    /// Whether two forms give the same figures.
    public func agrees(with other: Form45Figures) -> Bool {
        guard rejected == other.rejected, totalCast == other.totalCast else { return false }
        for (candidate, count) in votes where other.votes(for: candidate) != count { return false }
        for (candidate, count) in other.votes where votes(for: candidate) != count { return false }
        return true
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("rejected", rejected)
            w.member("totalCast", totalCast)
            w.name("votes")
            w.votes(votes)
        }
    }
}
