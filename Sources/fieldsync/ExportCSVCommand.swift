import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncTally

/// `fieldsync export csv --what stations|seats|incidents|official [--out FILE]`: one of the server's CSV exports
/// (`GET /v1/exports/{what}.csv`), to standard output or into a file.
struct ExportCSVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Download the live tallies as a CSV file: stations, seats, incidents or official.",
        discussion: """
            stations: one row per station and seat result (status, figures counted, latest turnout, opening and \
            closing, incidents, flags). seats: one row per seat and candidate (votes, verified votes, what the \
            disputed stations could add, who leads). incidents: one row per incident. official: the commission's \
            Form-45s beside the field's, one row per station, seat, field report and figure (each candidate, \
            rejected, total: official, field, field minus official, with the import's and the report's evidence). \
            The columns are in the README. RFC 4180: a header row, UTF-8, CRLF line ends.

            With --out the file is replaced whole once the download is complete, never left half written.

            \(ExitStatus.helpText(.unreachable, .refused))
            """
    )

    @Option(help: ArgumentHelp("What to export: \(TallyExport.allowedNames).", valueName: "WHAT"))
    var what: String

    @Option(help: ArgumentHelp("The file to write (default: standard output).", valueName: "FILE"))
    var out: String?

    @OptionGroup var server: AuditServerOptions

    func run() async throws {
        try await CommandFailure.reporting {
            guard let export = TallyExport(rawValue: what) else {
                throw UsageProblem("--what '\(what)' is not an export (allowed: \(TallyExport.allowedNames))")
            }
            let api = AuditServer(credentials: try server.credentials())
            let body = try await api.document("/v1/exports/\(export.rawValue).csv")
            if let out {
                try DurableFile.replace(out, with: body, mode: 0o644)
                Console.error("Wrote \(export.rawValue) to \(out)")
            } else {
                Console.write(body)
            }
        }
    }
}
