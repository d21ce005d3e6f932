/// The stations a reporter's device covers: every station, and every station of every seat, named by
/// any of its ``StationAssignment``s. Assignments only add: a station once covered stays covered, so
/// what a reporter recorded before moving on keeps counting (PROTOCOL.md §13, "Who counts").
public struct StationCoverage: Hashable, Sendable {
    public private(set) var stations: Set<StationCode> = []
    public private(set) var constituencies: Set<ConstituencyCode> = []

    public init() {}

    public init(_ assignment: StationAssignment) {
        add(assignment)
    }

    /// Adds what `assignment` names.
    public mutating func add(_ assignment: StationAssignment) {
        stations.formUnion(assignment.stations)
        constituencies.formUnion(assignment.constituencies)
    }

    /// Whether `code` is covered: named itself, or voting in a named seat. The seats are those of the
    /// station's definition, or the National Assembly seat its code starts with while it is not defined.
    public func covers(_ code: StationCode, definition: PollingStation?) -> Bool {
        if stations.contains(code) { return true }
        guard !constituencies.isEmpty else { return false }
        guard let definition else { return constituencies.contains(code.national) }
        return definition.constituencies.contains { constituencies.contains($0) }
    }

    /// The stations and seats, each in code order, for people to read.
    public var summary: String {
        let seats = constituencies.sorted().map(\.rawValue)
        let codes = stations.sorted().map(\.rawValue)
        return (seats + codes).joined(separator: ", ")
    }
}
