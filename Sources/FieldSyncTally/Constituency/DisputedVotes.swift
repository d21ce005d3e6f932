import FieldSyncModel

/// A seat's disputed stations, left out of the counted totals: which they are, and the least and
/// most rejected ballots and votes cast they could add (each candidate's range is on the candidate).
public struct DisputedVotes: Hashable, Sendable {
    /// In code order.
    public let stations: [StationCode]
    public let rejectedMinimum: Int
    public let rejectedMaximum: Int
    public let totalCastMinimum: Int
    public let totalCastMaximum: Int

    public var jsonValue: JSONValue {
        [
            "stations": .array(stations.map { .string($0.rawValue) }),
            "rejected": ["minimum": .int(rejectedMinimum), "maximum": .int(rejectedMaximum)],
            "totalCast": ["minimum": .int(totalCastMinimum), "maximum": .int(totalCastMaximum)],
        ]
    }
}
