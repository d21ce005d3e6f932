import FieldSyncModel

/// What a flag is attached to: one polling station or one constituency.
public enum FlagScope: Hashable, Sendable, Comparable {
    case station(StationCode)
    case constituency(ConstituencyCode)

    /// The two kinds of scope, without the code.
    public enum Kind: String, Sendable, Hashable {
        case station
        case constituency
    }

    public var kind: Kind {
        switch self {
        case .station: .station
        case .constituency: .constituency
        }
    }

    /// The station or constituency code.
    public var code: String {
        switch self {
        case .station(let code): code.rawValue
        case .constituency(let code): code.rawValue
        }
    }

    public static func < (lhs: FlagScope, rhs: FlagScope) -> Bool {
        switch (lhs, rhs) {
        case (.station(let a), .station(let b)): a < b
        case (.constituency(let a), .constituency(let b)): a < b
        case (.station, .constituency): true
        case (.constituency, .station): false
        }
    }
}
