import ArgumentParser
import FieldSyncModel
import FieldSyncServer
import Logging

/// `fieldsync admin enroll`: makes a one-time enrollment code for one person's device.
struct AdminEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Make a one-time enrollment code for a person's device.",
        discussion: """
            Prints the code and the `fieldsync init` line to run on the device. The code works once, until it
            expires; only its hash is stored. A reporter's code names the stations (--stations) or the seats
            (--seat) the device covers: its observations elsewhere are held for an editor's review.
            """
    )

    @Option(help: "What the device may do: reporter, editor, auditor or admin.")
    var role: String

    @Option(help: "The name of the person who will use the device.")
    var name: String

    @Option(help: "How long the code works: 30m, 24h, 7d, or seconds; at most a year (366d).")
    var expires = "24h"

    @OptionGroup var assignment: AssignmentOptions

    @Flag(help: "Print the code as JSON, for scripts.")
    var json = false

    @OptionGroup var location: AdminLocation

    func validate() throws {
        guard DeviceRole(rawValue: role) != nil else {
            throw ValidationError(
                "--role must be one of: \(DeviceRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let seconds = Lifetime.seconds(expires), seconds <= EnrollmentCodes.maximumLifetimeSeconds else {
            throw ValidationError(
                "--expires must be a duration of at most a year (366d) such as 30m, 24h or 7d, not '\(expires)'")
        }
        if role == DeviceRole.reporter.rawValue && assignment.isEmpty {
            throw ValidationError(
                "a reporter's code names what the device covers: give --stations NA-248-001,… or --seat NA-248")
        }
        if role != DeviceRole.reporter.rawValue && !assignment.isEmpty {
            throw ValidationError("only reporters are assigned to stations: drop --stations and --seat for a \(role)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "fieldsync.admin")
        logger.logLevel = .warning
        try await CommandFailure.reportingOnOneLine {
            let database = try await AdminDatabase.open(
                databaseURL: location.databaseURL, dataDirectory: location.folder, logger: logger)
            let issued: EnrollmentCodes.Issued
            do {
                let server = try await FieldSyncServer.prepare(
                    pool: database.pool, events: database.events,
                    key: try ServerKeyFile.load(at: ServerKeyFile.path(in: location.folder)), logger: logger)
                issued = try await server.issueCode(
                    role: DeviceRole(rawValue: role)!, name: name, validForSeconds: Lifetime.seconds(expires)!,
                    assignment: try assignment.assignment())
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            let server = database.api ?? "http://127.0.0.1:8080"
            if json {
                Console.line(
                    CanonicalJSON.string([
                        "code": .string(issued.code.description), "role": .string(issued.role.rawValue),
                        "name": .string(issued.name), "expires": .string(issued.expires.rfc3339UTC),
                        "server": .string(server),
                        "stations": .array(issued.assignment.stations.map { .string($0.rawValue) }),
                        "constituencies": .array(issued.assignment.constituencies.map { .string($0.rawValue) }),
                    ]))
                return
            }
            Console.line(
                "Enrollment code for \(issued.role.rawValue) \"\(issued.name)\": \(issued.code) "
                    + "(works once, until \(issued.expires.rfc3339UTC))")
            if !issued.assignment.isEmpty {
                let covers = issued.assignment.constituencies.map(\.rawValue) + issued.assignment.stations.map(\.rawValue)
                Console.line("Assigned to: \(covers.joined(separator: ", "))")
            }
            Console.line("On the device, run:  fieldsync init --server \(server) --code \(issued.code)")
        }
    }
}

/// How long an enrollment code works, as typed.
enum Lifetime {
    /// Whole seconds from `30m`, `24h`, `7d`, `90s` or `90`; nil for anything else.
    static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = digits.last, let scale = units[last] {
            unit = scale
            digits = digits.dropLast()
        }
        guard let count = Int64(digits), count > 0, count <= Int64.max / unit / 2 else { return nil }
        return count * unit
    }
}
