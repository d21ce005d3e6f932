import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Foundation

/// `fieldsync tally [CODE]`: the tallies as the server has them, as a table or as the API's JSON.
struct TallyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "Show the tallies: the city overview, one constituency, or one polling station.",
        discussion: """
            With no CODE: every National Assembly seat with its leader and runner-up, the margin, the stations \
            reported, confirmed and disputed of the total, turnout and flags. With a constituency (NA-248, PS-84): \
            its candidates with party and votes, the disputed range, and each station's status. With a polling \
            station (NA-248-017): its opening, turnout, each seat's result with every device's figures, \
            incidents, corrections and flags.

            The live tallies by default; --position N shows them as the log stood at position N, --as-of TIME as \
            reporters had observed things by TIME (whenever their reports arrived). --json prints the API's \
            document instead of a table. With a seat, --official first compares the commission's Form-47 and \
            Form-49 with the field's counted sum and with the sum of its own Form-45s, per candidate (the seat \
            document's official); then it lists the field reports that differ from the commission's \
            Form-45s, that seat's, or without a seat every seat's (GET /v1/official): the most decisive \
            first — a seat without a margin first, then by the largest candidate difference divided by the \
            seat's margin — each with its station, device, seat and evidence (the official import, the report's \
            events, its photo's SHA-256); --json: as JSON.

            \(ExitStatus.helpText(.unreachable, .refused))
            """
    )

    @Argument(
        help: ArgumentHelp("A constituency (NA-248, PS-84) or a polling station (NA-248-017).", valueName: "CODE"))
    var code: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("What had been observed by this time: 2024-02-08T17:00:00+05:00.", valueName: "TIME"))
    var asOf: String?

    @Option(help: ArgumentHelp("The log as it stood at this position.", valueName: "N"))
    var position: String?

    @Flag(help: "Print the server's JSON document instead of a table.")
    var json = false

    @Flag(help: "The field reports that differ from the commission's Form-45s, the most decisive first.")
    var official = false

    @OptionGroup var server: AuditServerOptions

    /// What the command shows.
    enum Subject {
        case city
        case constituency(ConstituencyCode)
        case station(StationCode)
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let subject = try Self.subject(code)
            let cutoff = try Self.cutoff(position: position, asOf: asOf)
            let api = AuditServer(credentials: try server.credentials())
            var path: String
            switch subject {
            case .city: path = "/v1/tallies"
            case .constituency(let code): path = "/v1/tallies/\(code)"
            case .station(let code): path = "/v1/stations/\(code)"
            }
            if let cutoff { path += "?" + cutoff.query }
            if official {
                var lines = [String]()
                let differences: OfficialDifferences
                switch subject {
                case .city:
                    guard cutoff == nil else {
                        throw UsageProblem(
                            "--official for every seat shows the live figures (allowed: --position or --as-of with a "
                                + "seat, such as NA-248)")
                    }
                    differences = OfficialDifferences(listing: try await api.json("/v1/official"))
                case .constituency:
                    let answer = try await api.json(path)
                    differences = OfficialDifferences(answer)
                    lines = OfficialSeatFigures(answer).lines + [""]
                case .station:
                    throw UsageProblem("--official needs a seat, such as NA-248, or no code for every seat")
                }
                if json {
                    Console.line(CanonicalJSON.string(differences.jsonValue))
                } else {
                    Console.lines(lines + differences.lines)
                }
                return
            }
            let body = try await api.document(path)
            if json {
                Console.line(String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
                return
            }
            let answer: JSONValue
            do {
                answer = try JSONParser.parse(body)
            } catch {
                throw AuditServerError(.badAnswer, "the answer to GET \(path) is not JSON: \(error)")
            }
            switch subject {
            case .city: Console.lines(TallyTable.overview(answer))
            case .constituency: Console.lines(TallyTable.constituency(answer))
            case .station: Console.lines(TallyTable.station(answer))
            }
        }
    }

    /// The city, a constituency or a station, from the code as typed (any case).
    static func subject(_ text: String?) throws -> Subject {
        guard let text else { return .city }
        let code = text.uppercased()
        if let station = StationCode(code) { return .station(station) }
        if let constituency = ConstituencyCode(code) { return .constituency(constituency) }
        throw UsageProblem(
            "'\(text)' is neither a constituency nor a polling station (allowed: NA-248, PS-84 or NA-248-017)")
    }

    /// `--position N` or `--as-of TIME`, not both; nil for the live tallies.
    static func cutoff(position: String?, asOf: String?) throws -> TallyCutoff? {
        switch (position, asOf) {
        case (nil, nil):
            return nil
        case (_?, _?):
            throw UsageProblem("--position and --as-of were both given (allowed: one of them, or neither for live)")
        case (let text?, nil):
            guard let position = Int64(text), position >= 0 else {
                throw UsageProblem("--position '\(text)' is not a position (allowed: an integer ≥ 0)")
            }
            return .position(position)
        case (nil, let text?):
            guard let time = Timestamp(rfc3339: text) else {
                throw UsageProblem(
                    "--as-of '\(text)' is not a time (allowed: RFC 3339 with its offset, such as "
                        + "2024-02-08T17:00:00+05:00)")
            }
            return .observedAtOrBefore(time)
        }
    }
}
