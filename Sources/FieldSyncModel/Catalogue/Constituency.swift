/// `fieldsync.constituency.defined.v1`: a National Assembly or provincial assembly seat.
/// Subject: the constituency's code.
public struct Constituency: ReadablePayload {
    public static let eventType = EventType.constituencyDefined

    public var code: ConstituencyCode
    /// Such as "Karachi Central-II".
    public var name: String
    /// The district the seat lies in, such as "Central".
    public var district: String
    /// Whether anything here is invented (demo data). Optional in JSON, default false.
    public var synthetic: Bool

    /// The kind of assembly, which the code's prefix already says (`NA` national, `PP`, `PS`, `PK`, `PB`
    /// provincial).
    public var assembly: Assembly { code.assembly }

    public init(code: ConstituencyCode, name: String, district: String, synthetic: Bool = false) {
        self.code = code
        self.name = name
        self.district = district
        self.synthetic = synthetic
    }

    init?(reading reader: inout ObjectReader) {
        let code = reader.constituency("code")
        let name = reader.text("name", maxLength: TextLimit.name)
        let district = reader.text("district", maxLength: TextLimit.district)
        let assembly = reader.choice("assembly", Assembly.self)
        let synthetic = reader.bool("synthetic", required: false) ?? false
        guard let code, let name, let district, let assembly else { return nil }
        guard assembly == code.assembly else {
            reader.fail(
                "assembly", .notAllowed, "\"\(assembly.rawValue)\" does not match the code \(code)",
                allowed: "\"\(code.assembly.rawValue)\" for a code starting \(code.prefix.rawValue)-")
            return nil
        }
        self.init(code: code, name: name, district: district, synthetic: synthetic)
    }

    public var jsonValue: JSONValue {
        [
            "code": .string(code.rawValue), "name": .string(name), "district": .string(district),
            "assembly": .string(assembly.rawValue), "synthetic": .bool(synthetic),
        ]
    }
}
