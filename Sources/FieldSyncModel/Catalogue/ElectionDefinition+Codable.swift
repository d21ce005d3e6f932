/// The definition as its protocol members (PROTOCOL.md §9.1), for a client's own files such as
/// `profile.json`. Reading checks every rule the event's `data` must follow.
extension ElectionDefinition: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, utcOffset, pollingOpens, pollingCloses, observationsFrom, observationsUntil, correctionsUntil
        case assemblies, postponed, synthetic
    }

    /// The members written as strings.
    private static let textKeys = CodingKeys.allCases.filter { ![.assemblies, .postponed, .synthetic].contains($0) }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        var object = [String: JSONValue]()
        for key in Self.textKeys { object[key.rawValue] = .string(try members.decode(String.self, forKey: key)) }
        object["assemblies"] = .object(
            try members.decode([String: String].self, forKey: .assemblies).mapValues { .string($0) })
        if let postponed = try members.decodeIfPresent([String].self, forKey: .postponed) {
            object["postponed"] = .array(postponed.map { .string($0) })
        }
        object["synthetic"] = .bool(try members.decodeIfPresent(Bool.self, forKey: .synthetic) ?? false)
        func corrupted(_ why: String) -> DecodingError {
            .dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "not an election definition: " + why))
        }
        let payload: Payload
        do {
            payload = try Payload.decode(type: .electionDefined, data: .object(object))
        } catch {
            throw corrupted(error.errors.map(\.description).joined(separator: "; "))
        }
        guard case .electionDefined(let definition) = payload else { throw corrupted("another type of event") }
        self = definition
    }

    public func encode(to encoder: any Encoder) throws {
        let object = jsonValue
        var members = encoder.container(keyedBy: CodingKeys.self)
        for key in Self.textKeys { try members.encode(object[key.rawValue]?.stringValue ?? "", forKey: key) }
        try members.encode(
            Dictionary(uniqueKeysWithValues: assemblies.map { ($0.key.rawValue, $0.value) }), forKey: .assemblies)
        if !postponed.isEmpty { try members.encode(postponed.sorted().map(\.rawValue), forKey: .postponed) }
        try members.encode(synthetic, forKey: .synthetic)
    }
}
