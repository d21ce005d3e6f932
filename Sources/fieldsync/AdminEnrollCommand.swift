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
            expires; only its hash is stored.
            """
    )

    @Option(help: "What the device may do: reporter, editor, auditor or admin.")
    var role: String

    @Option(help: "The name of the person who will use the device.")
    var name: String

    @Option(help: "How long the code works: 30m, 24h, 7d, or seconds; at most a year (366d).")
    var expires = "24h"

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
    }

    func run() async throws {
        var logger = Logger(label: "fieldsync.admin")
        logger.logLevel = .warning
        try await CommandFailure.reportingOnOneLine {
            let database = try await AdminDatabase.open(
                databaseURL: location.databaseURL, dataDirectory: location.folder, logger: logger)
            let issued: EnrollmentCodes.Issued
            do {
                issued = try await EnrollmentCodes(pool: database.pool).issue(
                    role: DeviceRole(rawValue: role)!, name: name,
                    validForSeconds: Lifetime.seconds(expires)!)
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
                    ]))
                return
            }
            Console.line(
                "Enrollment code for \(issued.role.rawValue) \"\(issued.name)\": \(issued.code) "
                    + "(works once, until \(issued.expires.rfc3339UTC))")
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
