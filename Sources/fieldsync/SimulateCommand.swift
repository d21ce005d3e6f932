import ArgumentParser
import AsyncHTTPClient
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import Foundation
import Logging

/// `fieldsync simulate`: a polling day of simulated reporters, enrolled and pushed over the API.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play a polling day of simulated reporters against a server: demo traffic, or load.",
        discussion: """
            On the server's machine, with no options, it finds the running server through its data folder \
            and makes itself an admin's token. Elsewhere, give --server and an admin's --token.

            Enrolls --reporters new reporter devices with an admin's token, then pushes their day in the \
            order a server sees it when the network comes and goes: stations opening around 08:00 (some \
            late), agents, turnout counts through the day, incidents, Form-45s refused, results at the \
            close with some reporters disagreeing, corrections, and offline backlogs arriving in bursts. \
            The same --seed gives the same day (devices, keys, events) to a server that has not seen it yet; \
            without --seed each run is a new day of new devices.

              fieldsync admin enroll --role admin --name Simulator      # prints a code
              curl -H 'Content-Type: application/json' -d '{"code":"…"}' \\
                  http://127.0.0.1:8080/v1/enroll                          # its "token"
              fieldsync simulate --server http://127.0.0.1:8080 --token … --seats NA-235,NA-248

            Without --seats it plays the election the server defines, every seat polled that day, stations \
            taken from each seat in turn. A national slice, against `fieldsync serve --demo pakistan`:

              fieldsync simulate --stations 2000 --reporters 4000

            It ends with 0 when every event was stored, 4 when the server refused some.

            \(ExitStatus.helpText(.unreachable, .invalid, .refused))
            """
    )

    @Option(
        help: ArgumentHelp(
            "The FieldSync server (default: $FIELDSYNC_SERVER, else the one running on the data folder).",
            valueName: "URL"))
    var server: String?

    // A token is base64url and may begin with '-': the next argument is the token whatever it looks like.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "An admin's bearer token (default: $FIELDSYNC_TOKEN, else one made through the data folder's"
                + " database, as `fieldsync admin enroll` does).",
            valueName: "TOKEN"))
    var token: String?

    @OptionGroup var location: AdminLocation

    @Option(
        help: ArgumentHelp(
            "National Assembly seats whose stations the reporters cover, comma-separated (default: every seat the"
                + " server's election polls, such as the 265 of `serve --demo pakistan`).", valueName: "SEATS"))
    var seats: String?

    @Option(
        help: ArgumentHelp(
            "At most this many stations, taken from each seat in turn, with one to three reporters each (default:"
                + " one station per reporter).", valueName: "N"))
    var stations: Int?

    @Option(help: ArgumentHelp("How many reporters (one per station unless --stations bounds them).", valueName: "N"))
    var reporters = 40

    @Option(
        help: ArgumentHelp(
            "The day's seed: the same seed gives the same day, to a server that has not seen it (default: a"
                + " new one, printed).", valueName: "N"))
    var seed: UInt64?

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("The most events one push carries.", valueName: "N"))
    var batchSize = 200

    @Option(help: ArgumentHelp("Pushes in flight at once.", valueName: "N"))
    var concurrency = 8

    func validate() throws {
        guard (1...20_000).contains(reporters) else { throw ValidationError("--reporters must be from 1 to 20000") }
        guard (1...1000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 1000") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 64") }
        if let stations, !(1...100_000).contains(stations) {
            throw ValidationError("--stations must be from 1 to 100000")
        }
        if let seats, seatCodes.codes.isEmpty && seatCodes.failed.isEmpty {
            throw ValidationError("--seats '\(seats)' names no seat (allowed: such as NA-235,NA-248)")
        }
        for seat in seatCodes.failed {
            throw ValidationError("--seats: '\(seat)' is not a National Assembly seat code (allowed: such as NA-235)")
        }
    }

    private var seatCodes: (codes: [ConstituencyCode], failed: [String]) {
        var codes = [ConstituencyCode]()
        var failed = [String]()
        for text in (seats ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let code = ConstituencyCode(text), code.assembly == .national {
                codes.append(code)
            } else {
                failed.append(text)
            }
        }
        return (codes, failed)
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let givenServer = (server ?? environment["FIELDSYNC_SERVER"]).flatMap { $0.isEmpty ? nil : Self.trimmed($0) }
        let givenToken = token ?? environment["FIELDSYNC_TOKEN"]
        try await CommandFailure.reporting {
            let summary = try await ServerAPI.withClient { client in
                let (server, token) = try await credentials(client: client, server: givenServer, token: givenToken)
                return try await Simulation(
                    client: client, server: server, adminToken: token, seats: seats == nil ? nil : seatCodes.codes,
                    stations: stations, reporters: reporters, seed: seed ?? UInt64.random(in: 1...999_999_999),
                    batchSize: batchSize,
                    concurrency: concurrency
                ).run()
            }
            Console.line(summary.description)
            if summary.refused > 0 { CommandFailure.exit(.invalid) }
        }
    }

    /// The server and an admin's token: as given, else made through the data folder's database.
    private func credentials(
        client: HTTPClient, server: String?, token: String?
    ) async throws -> (server: String, token: String) {
        if let server, let token, !token.isEmpty { return (server, token) }
        var logger = Logger(label: "fieldsync.simulate")
        logger.logLevel = .warning
        let database = try await AdminDatabase.open(
            databaseURL: location.databaseURL, dataDirectory: location.folder, logger: logger)
        let issued: EnrollmentCodes.Issued
        do {
            issued = try await EnrollmentCodes.ofLog(in: database.events).issue(
                role: .admin, name: "Simulator", validForSeconds: 600, by: AdminLocation.operatorName)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        guard let api = server ?? database.api else {
            throw ValidationError("--server is missing, and no server runs on \(location.folder)")
        }
        let enrolled = try await ServerAPI(client: client, server: api, token: nil).enroll(
            code: issued.code.description, publicKey: nil)
        return (api, enrolled.token)
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
