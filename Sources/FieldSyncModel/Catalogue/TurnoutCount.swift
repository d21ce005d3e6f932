/// `fieldsync.turnout.counted.v1`: how many votes had been cast at the station by a given time,
/// optionally by gender.
public struct TurnoutCount: ReadablePayload {
    public static let eventType = EventType.turnoutCounted

    /// The time the count refers to.
    public var asOf: ObservedTime
    public var votesCast: Int
    public var male: Int?
    public var female: Int?

    public init(asOf: ObservedTime, votesCast: Int, male: Int? = nil, female: Int? = nil) {
        self.asOf = asOf
        self.votesCast = votesCast
        self.male = male
        self.female = female
    }

    init?(reading reader: inout ObjectReader) {
        let asOf = reader.time("asOf")
        let votesCast = reader.count("votesCast")
        let male = reader.count("male", required: false)
        let female = reader.count("female", required: false)
        if let votesCast, (male ?? 0) + (female ?? 0) > votesCast {
            reader.fail(
                male != nil ? "male" : "female", .totalsMismatch,
                "male + female = \((male ?? 0) + (female ?? 0)) is more than votesCast = \(votesCast)",
                allowed: "male + female at most votesCast")
        }
        guard let asOf, let votesCast, reader.errors.isEmpty else { return nil }
        self.init(asOf: asOf, votesCast: votesCast, male: male, female: female)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["asOf": .string(asOf.text), "votesCast": .integer(Int64(votesCast))]
        if let male { object["male"] = .integer(Int64(male)) }
        if let female { object["female"] = .integer(Int64(female)) }
        return .object(object)
    }
}
