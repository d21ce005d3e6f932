/// The stations a reporter's device covers: every station, and every station of every seat, named by
/// any of its ``StationAssignment``s. Assignments only add: a station once covered stays covered, so
/// what a reporter recorded before moving on keeps counting (PROTOCOL.md §13, "Who counts").
///
/// Most devices cover one station: it is held inline, with no storage of its own, since a national day's
/// reference data holds about 181,000 coverages.
public struct StationCoverage: Hashable, Sendable {
    /// The first station named, in code order; the others follow in ``otherStations``.
    private var firstStation: StationCode?
    /// The stations after ``firstStation``, in code order, without repeats.
    private var otherStations: [StationCode] = []
    public private(set) var constituencies: Set<ConstituencyCode> = []

    public init() {}

    public init(_ assignment: StationAssignment) {
        add(assignment)
    }

    /// The stations named, in code order.
    public var stations: [StationCode] {
        guard let firstStation else { return [] }
        return [firstStation] + otherStations
    }

    /// Adds what `assignment` names.
    public mutating func add(_ assignment: StationAssignment) {
        if !assignment.stations.isEmpty {
            let named = Set(stations).union(assignment.stations).sorted()
            firstStation = named.first
            otherStations = Array(named.dropFirst())
        }
        constituencies.formUnion(assignment.constituencies)
    }

    /// Whether `code` is one of the stations named.
    private func names(_ code: StationCode) -> Bool {
        code == firstStation || otherStations.sortedContains(code)
    }

    /// Whether `code` is covered: named itself, or voting in a named seat. The seats are those of the
    /// station's definition, or the National Assembly seat its code starts with while it is not defined.
    public func covers(_ code: StationCode, definition: PollingStation?) -> Bool {
        if names(code) { return true }
        guard !constituencies.isEmpty else { return false }
        guard let definition else { return constituencies.contains(code.national) }
        return definition.constituencies.contains { constituencies.contains($0) }
    }

    /// The stations and seats, each in code order, for people to read.
    public var summary: String {
        let seats = constituencies.sorted().map(\.rawValue)
        let codes = stations.map(\.rawValue)
        return (seats + codes).joined(separator: ", ")
    }
}
