/// A column's type, by its OID in PostgreSQL's catalogue: what its binary format holds.
public struct PostgresType: Hashable, Sendable, CustomStringConvertible {
    public let oid: UInt32

    public init(oid: UInt32) {
        self.oid = oid
    }

    public static let bool = PostgresType(oid: 16)
    public static let bytea = PostgresType(oid: 17)
    public static let name = PostgresType(oid: 19)
    public static let int8 = PostgresType(oid: 20)
    public static let int2 = PostgresType(oid: 21)
    public static let int4 = PostgresType(oid: 23)
    public static let text = PostgresType(oid: 25)
    public static let json = PostgresType(oid: 114)
    public static let unknown = PostgresType(oid: 705)
    public static let bpchar = PostgresType(oid: 1042)
    public static let varchar = PostgresType(oid: 1043)
    public static let uuid = PostgresType(oid: 2950)
    public static let jsonb = PostgresType(oid: 3802)

    /// Whether its binary format is its text's UTF-8 bytes, as in the text format. Asked for several
    /// columns of every event a fold reads: a switch, no array.
    public var isText: Bool {
        switch self {
        case .text, .varchar, .bpchar, .name, .unknown, .json: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .bool: "boolean"
        case .bytea: "bytea"
        case .name: "name"
        case .int8: "bigint"
        case .int2: "smallint"
        case .int4: "integer"
        case .text: "text"
        case .json: "json"
        case .unknown: "unknown"
        case .bpchar: "character"
        case .varchar: "character varying"
        case .uuid: "uuid"
        case .jsonb: "jsonb"
        default: "OID \(oid)"
        }
    }
}
