import FieldSyncModel

/// One candidate's votes in a seat: counted, and the range the disputed stations could add.
public struct CandidateTally: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let id: CandidateID
    /// The reference definition; nil if a report names a candidate the reference data does not.
    public let candidate: Candidate?
    /// Votes from the counted (reported, confirmed and verified) stations.
    public let votes: Int
    /// The part of ``votes`` from stations whose result an editor verified.
    public let verifiedVotes: Int
    /// The least the disputed stations could add.
    public let disputedMinimum: Int
    /// The most the disputed stations could add.
    public let disputedMaximum: Int

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        var party: String?
        var independent: Bool?
        var backedBy: String?
        switch candidate?.affiliation {
        case .party(let name)?:
            party = name
            independent = false
        case .independent(let backer)?:
            independent = true
            backedBy = backer
        case nil:
            break
        }
        writer.object { w in
            w.member("backedBy", backedBy)
            w.member("candidate", id.rawValue)
            w.member("disputedMaximum", disputedMaximum)
            w.member("disputedMinimum", disputedMinimum)
            w.name("independent")
            if let independent { w.value(independent) } else { w.null() }
            w.member("name", candidate?.name)
            w.member("party", party)
            w.member("verifiedVotes", verifiedVotes)
            w.member("votes", votes)
        }
    }
}
