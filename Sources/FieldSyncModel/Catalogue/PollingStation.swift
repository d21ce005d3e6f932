/// `fieldsync.station.defined.v1`: a polling station, in one National Assembly seat and, except where
/// there is no provincial assembly (Islamabad), one provincial assembly seat of the same district.
/// Subject: the station's code.
public struct PollingStation: ReadablePayload {
    public static let eventType = EventType.stationDefined

    public var code: StationCode
    /// Such as "Govt. Boys Primary School No. 3 (synthetic)".
    public var name: String
    /// Its National Assembly seat, the one its code starts with.
    public var national: ConstituencyCode
    /// Its provincial assembly seat (`PP`, `PS`, `PK` or `PB`); nil where the station votes for the
    /// National Assembly only. Optional in JSON.
    public var provincial: ConstituencyCode?
    public var voters: RegisteredVoters
    /// Whether anything here is invented (demo data). Optional in JSON, default false.
    public var synthetic: Bool

    public init(
        code: StationCode, name: String, provincial: ConstituencyCode?, voters: RegisteredVoters,
        synthetic: Bool = false
    ) {
        self.code = code
        self.name = name
        self.national = code.national
        self.provincial = provincial
        self.voters = voters
        self.synthetic = synthetic
    }

    /// The seats the station votes in, national first: one or two.
    public var constituencies: [ConstituencyCode] { [national] + (provincial.map { [$0] } ?? []) }

    /// The seats written for people: `NA-248 or PS-125`, or `NA-46`.
    public var seatsListed: String { constituencies.map(\.rawValue).joined(separator: " or ") }

    init?(reading reader: inout ObjectReader) {
        let code = reader.station("code")
        let name = reader.text("name", maxLength: TextLimit.name)
        let national = reader.constituency("national")
        let provincial = reader.constituency("provincial", required: false)
        let voters = reader.object("voters") { RegisteredVoters(reading: &$0) }
        let synthetic = reader.bool("synthetic", required: false) ?? false
        if let national, national.assembly != .national {
            reader.fail("national", .invalidFormat, "\(national) is not a National Assembly seat", allowed: "NA-<n>")
        }
        if let provincial, provincial.assembly != .provincial {
            reader.fail(
                "provincial", .invalidFormat, "\(provincial) is not a provincial assembly seat",
                allowed: "PP-<n>, PS-<n>, PK-<n> or PB-<n>")
        }
        if let code, let national, national.assembly == .national, code.national != national {
            reader.fail(
                "national", .notAllowed, "\(national) is not the seat the station code \(code) starts with",
                allowed: code.national.rawValue)
        }
        guard let code, let name, let national, let voters, reader.errors.isEmpty else { return nil }
        self.code = code
        self.name = name
        self.national = national
        self.provincial = provincial
        self.voters = voters
        self.synthetic = synthetic
    }

    /// `provincial` is left out when the station has none.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "code": .string(code.rawValue), "name": .string(name), "national": .string(national.rawValue),
            "voters": voters.jsonValue, "synthetic": .bool(synthetic),
        ]
        if let provincial { object["provincial"] = .string(provincial.rawValue) }
        return .object(object)
    }
}

/// A station's registered voters. `total` may exceed `male + female` (voters registered under
/// another gender), never fall short of it.
public struct RegisteredVoters: Hashable, Sendable {
    public var male: Int
    public var female: Int
    public var total: Int

    public init(male: Int, female: Int, total: Int) {
        self.male = male
        self.female = female
        self.total = total
    }

    init?(reading reader: inout ObjectReader) {
        let male = reader.count("male")
        let female = reader.count("female")
        let total = reader.count("total")
        guard let male, let female, let total else { return nil }
        guard total >= male + female else {
            reader.fail(
                "total", .totalsMismatch, "\(total) is less than male + female = \(male + female)",
                allowed: "at least male + female")
            return nil
        }
        self.init(male: male, female: female, total: total)
    }

    public var jsonValue: JSONValue {
        ["male": .integer(Int64(male)), "female": .integer(Int64(female)), "total": .integer(Int64(total))]
    }
}
