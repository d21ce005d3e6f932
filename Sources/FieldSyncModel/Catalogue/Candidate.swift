/// `fieldsync.candidate.defined.v1`: a candidate standing in one constituency, for a party or as
/// an independent, who may be backed by a party. Subject: the candidate's id.
public struct Candidate: ReadablePayload {
    public static let eventType = EventType.candidateDefined

    public var id: CandidateID
    /// The constituency the candidate stands in, the one the id starts with.
    public var constituency: ConstituencyCode
    public var name: String
    public var affiliation: Affiliation
    /// Whether anything here is invented (demo data). Optional in JSON, default false.
    public var synthetic: Bool

    public init(id: CandidateID, name: String, affiliation: Affiliation, synthetic: Bool = false) {
        self.id = id
        self.constituency = id.constituency
        self.name = name
        self.affiliation = affiliation
        self.synthetic = synthetic
    }

    /// The party the candidate stands for, or the one backing them as an independent.
    public var party: String? {
        switch affiliation {
        case .party(let party): party
        case .independent(let backedBy): backedBy
        }
    }

    init?(reading reader: inout ObjectReader) {
        let id = reader.candidate("id")
        let constituency = reader.constituency("constituency")
        let name = reader.text("name", maxLength: TextLimit.name)
        let party = reader.party("party", required: false)
        let independent = reader.bool("independent", required: false)
        let backedBy = reader.party("backedBy", required: false)
        let synthetic = reader.bool("synthetic", required: false) ?? false
        if let id, let constituency, id.constituency != constituency {
            reader.fail(
                "constituency", .notAllowed, "\(constituency) is not the constituency the id \(id) starts with",
                allowed: id.constituency.rawValue)
        }
        var affiliation: Affiliation?
        let allowed = "either \"party\", or \"independent\": true with an optional \"backedBy\""
        switch (party, independent) {
        case (let party?, nil):
            if reader.object["backedBy"] != nil {
                reader.fail("backedBy", .notAllowed, "only an independent is backed by a party", allowed: allowed)
            }
            affiliation = .party(party)
        case (nil, true?):
            affiliation = .independent(backedBy: backedBy)
        case (nil, false?):
            reader.fail("independent", .notAllowed, "false: omit it and give \"party\" instead", allowed: allowed)
        case (nil, nil):
            if reader.object["party"] == nil && reader.object["independent"] == nil {
                reader.fail("party", .missingMember, "missing, and no \"independent\": true", allowed: allowed)
            }
        case (_?, _?):
            reader.fail("independent", .notAllowed, "a candidate with a party is not independent", allowed: allowed)
        }
        guard let id, let constituency, let name, let affiliation, reader.errors.isEmpty else { return nil }
        self.id = id
        self.constituency = constituency
        self.name = name
        self.affiliation = affiliation
        self.synthetic = synthetic
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id.rawValue), "constituency": .string(constituency.rawValue), "name": .string(name),
            "synthetic": .bool(synthetic),
        ]
        switch affiliation {
        case .party(let party):
            object["party"] = .string(party)
        case .independent(let backedBy):
            object["independent"] = .bool(true)
            if let backedBy { object["backedBy"] = .string(backedBy) }
        }
        return .object(object)
    }
}

/// How a candidate stands: for a party, or as an independent, possibly backed by a party
/// (in 2024, PTI's candidates stood as independents without the party's symbol).
public enum Affiliation: Hashable, Sendable {
    case party(String)
    case independent(backedBy: String?)
}
