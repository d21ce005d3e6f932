import FieldSyncModel

/// How many of a seat's polling stations are in each state.
public struct StationCounts: Hashable, Sendable {
    public var total = 0
    public var reported = 0
    public var confirmed = 0
    public var disputed = 0
    public var unreported = 0

    public init() {}

    /// Reported and confirmed: the stations in the counted totals.
    public var counted: Int { reported + confirmed }

    mutating func add(_ status: ResultStatus, _ sign: Int) {
        total += sign
        switch status {
        case .unreported: unreported += sign
        case .reported: reported += sign
        case .confirmed: confirmed += sign
        case .disputed: disputed += sign
        }
    }

    mutating func add(_ other: StationCounts) {
        total += other.total
        reported += other.reported
        confirmed += other.confirmed
        disputed += other.disputed
        unreported += other.unreported
    }

    public var jsonValue: JSONValue {
        [
            "total": .int(total), "reported": .int(reported), "confirmed": .int(confirmed),
            "disputed": .int(disputed), "unreported": .int(unreported), "counted": .int(counted),
        ]
    }
}
