import FieldSyncModel

/// One candidate's votes in a seat: counted, and the range the disputed stations could add.
public struct CandidateTally: Hashable, Sendable {
    public let id: CandidateID
    /// The reference definition; nil if a report names a candidate the reference data does not.
    public let candidate: Candidate?
    /// Votes from the counted (reported and confirmed) stations.
    public let votes: Int
    /// The least the disputed stations could add.
    public let disputedMinimum: Int
    /// The most the disputed stations could add.
    public let disputedMaximum: Int

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "candidate": .string(id.rawValue), "name": .string(candidate?.name), "party": .null,
            "independent": .null, "backedBy": .null, "votes": .int(votes),
            "disputedMinimum": .int(disputedMinimum), "disputedMaximum": .int(disputedMaximum),
        ]
        switch candidate?.affiliation {
        case .party(let party)?:
            object["party"] = .string(party)
            object["independent"] = false
        case .independent(let backedBy)?:
            object["independent"] = true
            object["backedBy"] = .string(backedBy)
        case nil:
            break
        }
        return .object(object)
    }
}
