import FieldSyncModel

/// What applying a batch changed: the stations, seats and districts whose tallies are no longer
/// what they were, and whether the city's is. Rows not named here are byte for byte unchanged.
public struct TallyChanges: Hashable, Sendable {
    /// In code order.
    public var stations: [StationCode] = []
    /// In code order (NA first).
    public var constituencies: [ConstituencyCode] = []
    /// In name order. A district named here without a tally no longer has any seat.
    public var districts: [String] = []
    public var city = false
    /// Whether the city's comparison with the official Form-45s (``ElectionTally/officialComparison``) is.
    public var official = false
    /// The row keys of station summaries (``StationSummary/key(seat:station:)``) whose station a new
    /// definition moved out of the seat: their rows are removed, unless the station is back in it. In key order.
    public var summariesRemoved: [String] = []

    public init() {}

    public var isEmpty: Bool {
        stations.isEmpty && constituencies.isEmpty && districts.isEmpty && !city && !official
            && summariesRemoved.isEmpty
    }

    /// The changes of two batches applied one after the other.
    public mutating func formUnion(_ other: TallyChanges) {
        stations = Array(Set(stations).union(other.stations)).sorted()
        constituencies = Array(Set(constituencies).union(other.constituencies)).sorted()
        districts = Array(Set(districts).union(other.districts)).sorted()
        city = city || other.city
        official = official || other.official
        summariesRemoved = Array(Set(summariesRemoved).union(other.summariesRemoved)).sorted()
    }
}
