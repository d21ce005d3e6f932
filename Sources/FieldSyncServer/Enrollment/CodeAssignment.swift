import FieldSyncModel
import FieldSyncStore

/// The stations and seats a reporter's enrollment code assigns its device to: appended as the device's
/// `fieldsync.device.assigned.v1` in the transaction that enrolls it. A reporter's code must name at
/// least one; other roles' codes name none.
public struct CodeAssignment: Sendable, Hashable {
    public var stations: [StationCode]
    public var constituencies: [ConstituencyCode]

    public init(stations: [StationCode] = [], constituencies: [ConstituencyCode] = []) {
        self.stations = stations
        self.constituencies = constituencies
    }

    public var isEmpty: Bool { stations.isEmpty && constituencies.isEmpty }

    /// Why a code of `role` cannot carry this assignment, if it cannot.
    func problem(for role: DeviceRole) -> Problem? {
        if role == .reporter && isEmpty {
            return Problem.invalidRequest(
                field: "stations", code: .missingMember, problem: "a reporter's code must name what the device covers",
                allowed: "stations (such as NA-248-001) or seats (such as NA-248) the reporter is assigned to")
        }
        if role != .reporter && !isEmpty {
            return Problem.invalidRequest(
                field: "stations", code: .notAllowed, problem: "only reporters are assigned to stations",
                allowed: "no stations or seats for a \(role.rawValue)'s code")
        }
        return problem
    }

    /// Why no assignment can carry these codes, whatever the role: a code listed twice, too many codes.
    var problem: Problem? {
        if let index = Self.secondOccurrence(in: stations) {
            return Problem.invalidRequest(
                field: "stations[\(index)]", code: .duplicate, problem: "\(stations[index]) is listed twice",
                allowed: "each station once")
        }
        if let index = Self.secondOccurrence(in: constituencies) {
            return Problem.invalidRequest(
                field: "constituencies[\(index)]", code: .duplicate,
                problem: "\(constituencies[index]) is listed twice",
                allowed: "each seat once")
        }
        if stations.count + constituencies.count > StationAssignment.maximumEntries {
            return Problem.invalidRequest(
                field: "stations", code: .outOfRange,
                problem: "\(stations.count + constituencies.count) stations and seats",
                allowed: "at most \(StationAssignment.maximumEntries) in all")
        }
        return nil
    }

    /// The index of the first element that repeats an earlier one.
    private static func secondOccurrence<T: Hashable>(in codes: [T]) -> Int? {
        var seen = Set<T>()
        return codes.firstIndex { !seen.insert($0).inserted }
    }

    /// The assignment event's payload for `device`; nil for an empty assignment.
    func payload(for device: DeviceID) -> Payload? {
        isEmpty
            ? nil
            : .deviceAssigned(StationAssignment(device: device, stations: stations, constituencies: constituencies))
    }

    /// The assignment stored with a code.
    static func of(_ code: EnrollmentCode, in pool: PostgresPool) async throws -> CodeAssignment {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT array_to_string(stations, ','), array_to_string(constituencies, ',') FROM enrollment_codes
                WHERE code_hash = \(code.hash)
                """)
        }
        guard let row = rows.first else { return CodeAssignment() }
        let stations = try row.decode(String.self, column: 0).split(separator: ",").compactMap { StationCode($0) }
        let seats = try row.decode(String.self, column: 1).split(separator: ",").compactMap { ConstituencyCode($0) }
        return CodeAssignment(stations: stations, constituencies: seats)
    }
}
