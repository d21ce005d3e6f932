import FieldSyncModel
import FieldSyncStore
import Logging

extension FieldSyncServer {
    /// Makes an enrollment code after checking that its assignment names known stations and seats; the
    /// device's token will live `tokenLifetimeSeconds` (nil: the default), and `issuer` made it.
    /// Throws a ``Problem`` (`invalid-request`) naming each unknown one.
    public func issueCode(
        role: DeviceRole, name: String, validForSeconds seconds: Int64, assignment: CodeAssignment,
        tokenLifetimeSeconds: Int64? = nil, by issuer: String = "this server's process"
    ) async throws -> EnrollmentCodes.Issued {
        if !assignment.isEmpty {
            let reference = try await reference.refresh().data
            let errors = reference.unknownPlaces(
                stations: assignment.stations, constituencies: assignment.constituencies)
            if !errors.isEmpty { throw Problem.invalidRequest(errors) }
        }
        return try await codes.issue(
            role: role, name: name, validForSeconds: seconds, assignment: assignment,
            tokenLifetimeSeconds: tokenLifetimeSeconds, by: issuer)
    }

    /// Assigns a reporter's device to more stations or seats: appends a server-signed
    /// `fieldsync.device.assigned.v1`. Assignments add up (``StationCoverage``). Returns the event's
    /// position and what the device covers now. `assigner` says who assigned it, for the log.
    ///
    /// Throws a ``Problem``: `device-not-enrolled`; `invalid-request` for an empty assignment, a device that
    /// is not a reporter's or is revoked, unknown stations or seats.
    public func assign(
        _ device: DeviceID, to assignment: CodeAssignment, by assigner: String = "this server's process"
    ) async throws -> (Int64, StationCoverage) {
        let snapshot = try await reference.refresh()
        guard snapshot.data.devices[device] != nil else {
            throw Problem(.deviceNotEnrolled, "device \(device) is not enrolled")
        }
        if let problem = assignment.problem { throw problem }
        guard let payload = assignment.payload(for: device) else {
            throw Problem.invalidRequest(
                field: "stations", code: .empty, problem: "the assignment names no station and no seat",
                allowed: "stations (such as NA-248-001) or seats (such as NA-248)")
        }
        let errors = EventValidator(reference: snapshot.data)
            .validate(reference: payload)
        if !errors.isEmpty { throw Problem.invalidRequest(errors) }
        let appended = try await author.append([EventDraft(payload: payload, time: await now())])
        let coverage = try await reference.refresh().data.coverage[device] ?? StationCoverage()
        logger.notice(
            "device assigned",
            metadata: [
                "device": "\(device)", "position": "\(appended.positions[0])", "covers": "\(coverage.summary)",
                "by": "\(assigner)",
            ])
        return (appended.positions[0], coverage)
    }
}

extension Problem {
    /// 400 `invalid-request` with every field error, the first in the detail. Fields the model names
    /// from an event's `data` are named from the request's body.
    static func invalidRequest(_ errors: [FieldError]) -> Problem {
        let renamed = errors.map { error in
            var error = error
            if error.field.hasPrefix("data.") { error.field.removeFirst("data.".count) }
            return error
        }
        let first = renamed[0]
        return Problem(
            .invalidRequest,
            renamed.count == 1
                ? "\(first.field): \(first.problem)" : "\(renamed.count) problems: \(first.field): \(first.problem)…",
            errors: renamed)
    }
}
