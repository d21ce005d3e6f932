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

            With --official-file FILE it then waits until the tallies hold the whole day and writes the \
            commission's Form-45 file for it (the layout `fieldsync official import --form 45` reads): every \
            station result that counts and whose reports agree, as the field counted it, except \
            --official-differences N of them (0 by default), each with one candidate altered on purpose, by turns \
            a few votes and more than the seat's margin, the same for the same --seed. It lists the alterations \
            and leaves the import to an editor:

              fieldsync simulate --seats NA-235 --seed 7 \\
                  --official-differences 6 --official-file form45.csv
              fieldsync official import form45.csv --form 45   # an editor's device
              fieldsync tally --official                        # exactly those six

            Without --seats it plays the election the server defines, every seat polled that day, stations \
            taken from each seat in turn. A national slice, against `fieldsync serve --demo pakistan`:

              fieldsync simulate --stations 2000 --reporters 4000

            It ends with 0 when every event was stored, 4 when the server refused some. With --json the summary \
            is one JSON object: seed, seats, reporters, stations, events, pushes, appended, duplicates, refused \
            (and firstRefusal), milliseconds (the pushes, first sent to last answered), enrollmentMilliseconds, \
            eventsPerSecond.

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

    @Option(
        name: .customLong("official-differences"),
        help: ArgumentHelp(
            "How many station results the official file alters on purpose (needs --official-file).", valueName: "N"))
    var officialDifferences: Int?

    @Option(
        name: .customLong("official-file"),
        help: ArgumentHelp("Write the commission's Form-45 file for the simulated day here.", valueName: "FILE"))
    var officialFile: String?

    @Flag(
        help: ArgumentHelp(
            "Print the summary as one JSON object, for scripts: events, pushes, reporters, milliseconds,"
                + " eventsPerSecond…"))
    var json = false

    func validate() throws {
        if json, officialFile != nil {
            throw ValidationError("--json and --official-file go separately: the official file's listing is text")
        }
        if let officialDifferences {
            guard officialFile != nil else {
                throw ValidationError("--official-differences needs --official-file FILE")
            }
            guard (0...100_000).contains(officialDifferences) else {
                throw ValidationError("--official-differences must be from 0 to 100000")
            }
        }
        // Enough for the whole national day: two reporters at each of `serve --demo pakistan`'s 90,675 stations.
        guard (1...200_000).contains(reporters) else {
            throw ValidationError("--reporters must be from 1 to 200000")
        }
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
            let seed = seed ?? UInt64.random(in: 1...999_999_999)
            let (summary, server, token) = try await ServerAPI.withClient(connections: concurrency) { client in
                let (server, token) = try await credentials(client: client, server: givenServer, token: givenToken)
                let summary = try await Simulation(
                    client: client, server: server, adminToken: token, seats: seats == nil ? nil : seatCodes.codes,
                    stations: stations, reporters: reporters, seed: seed, batchSize: batchSize,
                    concurrency: concurrency
                ).run()
                return (summary, server, token)
            }
            Console.line(json ? CanonicalJSON.string(summary.jsonValue) : summary.description)
            if let officialFile {
                let api = AuditServer(credentials: try ReadCredentials(server: server, token: token))
                let answers = try await Self.seatsOfTheWholeDay(summary.seats, api: api)
                let file = SimulatedOfficialFile(answers: answers, count: officialDifferences ?? 0, seed: seed)
                try DurableFile.replace(officialFile, with: Array(file.csv.utf8), mode: 0o644)
                Console.lines(file.lines(file: officialFile))
            }
            if summary.refused > 0 { CommandFailure.exit(.invalid) }
        }
    }

    /// Each seat's answer (`GET /v1/tallies/{seat}`) once the projector has folded the log up to its head
    /// when asked: the whole simulated day. A seat answered 404 is one the projector has not folded yet (the
    /// day's seats are defined ones): it is asked again. Gives up after two minutes.
    static func seatsOfTheWholeDay(_ seats: [ConstituencyCode], api: AuditServer) async throws -> [JSONValue] {
        let head = try await api.chainHead().position ?? 0
        let deadline = ContinuousClock.now + .seconds(120)
        var answers = [JSONValue]()
        for seat in seats {
            while true {
                let answer: JSONValue
                do {
                    answer = try await api.json("/v1/tallies/\(seat)")
                } catch {
                    guard error.kind == .refused(status: 404) else { throw error }
                    answer = .null
                }
                if (answer["position"]?.integerValue ?? 0) >= head {
                    answers.append(answer)
                    break
                }
                guard ContinuousClock.now < deadline else {
                    throw SimulationProblem("the server's tallies did not reach position \(head) within two minutes")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return answers
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
