import FieldSyncModel

/// Votes (or seats) per party, given both ways: independents backed by a party counted with their
/// backer, and counted apart from it.
///
/// Keys are party codes, and two keys that no party code can be (party codes have no spaces or
/// brackets): `(independent)` for independents with no backer, and
/// `(independent backed by <party>)` for backed independents counted apart.
public struct PartyVotes: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// Backed independents counted with their backer.
    public var countingBackedIndependents: [String: Int] = [:]
    /// Backed independents counted apart from their backer.
    public var backedIndependentsApart: [String: Int] = [:]

    public init() {}

    public static let independent = "(independent)"

    /// The key a candidate counts under when backed independents count with their backer.
    public static func keyCountingBacked(_ candidate: Candidate?) -> String {
        switch candidate?.affiliation {
        case .party(let party)?: party
        case .independent(let backedBy?)?: backedBy
        case .independent(nil)?: independent
        case nil: independent
        }
    }

    /// The key a candidate counts under when backed independents count apart from their backer.
    public static func keyApart(_ candidate: Candidate?) -> String {
        switch candidate?.affiliation {
        case .party(let party)?: party
        case .independent(let backedBy?)?: "(independent backed by \(backedBy))"
        case .independent(nil)?: independent
        case nil: independent
        }
    }

    /// Adds `count` for `candidate` under both views; a count of 0 still lists the party.
    mutating func add(_ count: Int, for candidate: Candidate?) {
        countingBackedIndependents[Self.keyCountingBacked(candidate), default: 0] += count
        backedIndependentsApart[Self.keyApart(candidate), default: 0] += count
    }

    /// Adds `count`, negative to take it back, for `candidate` under both views, and drops a party
    /// whose count comes back to 0: for sums that list a party only while it counts one (seats led).
    mutating func add(_ count: Int, droppingZeroFor candidate: Candidate?) {
        Self.add(count, to: &countingBackedIndependents, at: Self.keyCountingBacked(candidate))
        Self.add(count, to: &backedIndependentsApart, at: Self.keyApart(candidate))
    }

    private static func add(_ count: Int, to counts: inout [String: Int], at key: String) {
        let total = counts[key, default: 0] + count
        counts[key] = total == 0 ? nil : total
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.name("backedIndependentsApart")
            w.counts(backedIndependentsApart)
            w.name("countingBackedIndependents")
            w.counts(countingBackedIndependents)
        }
    }
}
