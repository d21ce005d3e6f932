import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer

/// `fieldsync admin enroll`: makes a one-time enrollment code for one person's device.
struct AdminEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Make a one-time enrollment code for a person's device.",
        discussion: """
            Prints the code, the server key's fingerprint, and the `fieldsync init` line to run on the device. \
            The code works once, until it expires (--code-expires); only its hash is stored. Its last two \
            groups are bound to the server's key, so `fieldsync init` refuses a server that answers with \
            another key. The device is enrolled under --name, whatever it asks for. A reporter's code names \
            the stations (--stations) or the seats (--seat) the device covers: its observations elsewhere are \
            held for an editor's review.

            --expires sets how long the device's token works after enrollment (it can be rotated before then \
            with `fieldsync token rotate`). Without it, a reporter's token does not expire, and an editor \
            signing in to the dashboard gets the server's --browser-sign-in-expires (a day by default).

            \(ExitStatus.helpText())
            """
    )

    @Option(help: "What the device may do: reporter, editor, auditor or admin.")
    var role: String

    @Option(help: "The name of the person who will use the device; the device is enrolled under it.")
    var name: String

    @Option(
        help: ArgumentHelp(
            "How long the device's token works after enrollment: 12h, 3d, or seconds; at most a year (366d)."
                + " Default: no expiry, except the server's default for dashboard sign-ins.",
            valueName: "DURATION"))
    var expires: String?

    @Option(
        name: .customLong("code-expires"),
        help: ArgumentHelp(
            "How long the code itself works: 30m, 24h, 7d, or seconds; at most a year (366d).",
            valueName: "DURATION"))
    var codeExpires = "24h"

    @OptionGroup var assignment: AssignmentOptions

    @Flag(help: "Print the code as JSON, for scripts.")
    var json = false

    @OptionGroup var location: AdminLocation

    func validate() throws {
        guard DeviceRole(rawValue: role) != nil else {
            throw ValidationError(
                "--role must be one of: \(DeviceRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (option, text) in [("--code-expires", codeExpires), ("--expires", expires)] {
            guard let text else { continue }
            guard let seconds = Lifetime.seconds(text), seconds <= EnrollmentCodes.maximumLifetimeSeconds else {
                throw ValidationError(
                    "\(option) must be a duration of at most a year (366d) such as 12h, 3d or 30m, not '\(text)'")
            }
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
        try await CommandFailure.reporting {
            let (serverKey, issued, api) = try await location.withServer { server, api in
                (
                    server.publicKey,
                    try await server.issueCode(
                        role: DeviceRole(rawValue: role)!, name: name, validForSeconds: Lifetime.seconds(codeExpires)!,
                        assignment: try assignment.assignment(),
                        tokenLifetimeSeconds: expires.flatMap(Lifetime.seconds), by: AdminLocation.operatorName),
                    api
                )
            }
            let server = api ?? "http://127.0.0.1:8080"
            if json {
                Console.line(
                    CanonicalJSON.string([
                        "code": .string(issued.code.description), "role": .string(issued.role.rawValue),
                        "name": .string(issued.name), "expires": .string(issued.expires.rfc3339UTC),
                        "tokenExpiresInSeconds": issued.tokenLifetimeSeconds.map { .integer($0) } ?? .null,
                        "server": .string(server), "serverKeyFingerprint": .string(serverKey.fingerprint.hex),
                        "stations": .array(issued.assignment.stations.map { .string($0.rawValue) }),
                        "constituencies": .array(issued.assignment.constituencies.map { .string($0.rawValue) }),
                    ]))
                return
            }
            Console.line(
                "Enrollment code for \(issued.role.rawValue) \"\(issued.name)\": \(issued.code) "
                    + "(works once, until \(issued.expires.rfc3339UTC))")
            if !issued.assignment.isEmpty {
                let covers =
                    issued.assignment.constituencies.map(\.rawValue) + issued.assignment.stations.map(\.rawValue)
                Console.line("Assigned to: \(covers.joined(separator: ", "))")
            }
            Console.line("Server key fingerprint: \(serverKey.fingerprintText)")
            Console.line("  (the code's last two groups are bound to this key; `fieldsync init` checks them)")
            Console.line("The device's token: \(Self.tokenLifetime(issued.tokenLifetimeSeconds, role: issued.role)).")
            Console.line("On the device, run:  fieldsync init --server \(server) --code \(issued.code)")
        }
    }

    /// How long the enrolled device's token will work, in words.
    static func tokenLifetime(_ seconds: Int64?, role: DeviceRole) -> String {
        guard let seconds else {
            return role == .editor
                ? "no expiry (a sign-in to the dashboard lasts as `serve --browser-sign-in-expires` says, a day by default)"
                : "no expiry"
        }
        return "expires \(Lifetime.words(seconds)) after enrollment"
    }
}

/// How long an enrollment code or a token works, as typed.
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

    /// `3 days`, `12 hours`, `30 minutes` or `90 seconds`: the largest unit that divides `seconds`.
    static func words(_ seconds: Int64) -> String {
        for (size, unit) in [(Int64(86_400), "day"), (3600, "hour"), (60, "minute")] where seconds % size == 0 {
            return "\(seconds / size) \(unit)\(seconds == size ? "" : "s")"
        }
        return "\(seconds) second\(seconds == 1 ? "" : "s")"
    }
}
