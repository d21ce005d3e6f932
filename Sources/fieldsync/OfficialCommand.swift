import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `fieldsync official`: the election commission's published figures, as signed events in the log.
struct OfficialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "official",
        abstract: "Import the election commission's published results (Form-45, 47, 49).",
        subcommands: [OfficialImportCommand.self],
        defaultSubcommand: OfficialImportCommand.self
    )
}

/// `fieldsync official import FILE --form 45|47|49 [--source URL]`: sends the commission's CSV file to the
/// server, which appends one signed event per station and seat (Form-45) or per seat, or none at all.
struct OfficialImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the commission's figures from a CSV file: all of it, or nothing if any row is bad.",
        discussion: """
            The file is CSV (RFC 4180) in UTF-8 with a header row, one row per figure. Form-45: \
            station,constituency,candidate,votes. Form-47 and 49: constituency,candidate,votes. The candidate \
            column holds a candidate id (NA-248-C01), or "rejected" or "total"; each station and seat (or seat) \
            needs a row for every candidate standing, one rejected row and one total row. A later import of the \
            same form for the same station and seat supersedes an earlier one; both stay in the log, with the \
            file's SHA-256.

            \(ExitStatus.helpText(.unreachable, .refused, .invalid))
            """)

    @Argument(help: ArgumentHelp("The commission's CSV file.", valueName: "FILE"))
    var file: String

    @Option(help: ArgumentHelp("The form the file holds: 45, 47 or 49.", valueName: "FORM"))
    var form: String

    @Option(help: ArgumentHelp("Where the commission published it (http:// or https://).", valueName: "URL"))
    var source: String?

    @OptionGroup var server: AuditServerOptions

    func validate() throws {
        guard OfficialResult.Form(rawValue: form) != nil else {
            throw ValidationError("--form: '\(form)' is not a form (allowed: 45, 47, 49)")
        }
        if let source, !OfficialResult.isSourceURL(source) {
            throw ValidationError("--source: '\(source)' is not an http:// or https:// address")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            guard let bytes = try DurableFile.contents(of: file) else { throw UsageProblem("\(file) does not exist") }
            let api = AuditServer(credentials: try server.credentials())
            var path = "/v1/official?form=\(form)"
            if let source { path += "&source=" + Self.queryValue(source) }
            let answer: JSONValue
            do {
                answer = try await api.post(path, body: bytes, contentType: "text/csv")
            } catch let refusal as AuditServerError where !refusal.errors.isEmpty {
                // The file's problems, every one, each with its line and field.
                for error in refusal.errors { Console.error("fieldsync: \(file) \(error)") }
                CommandFailure.fail("nothing was imported: \(refusal.errors.count) problem(s) in \(file)", .invalid)
            }
            let events = answer["events"]?.arrayValue ?? []
            let positions = events.compactMap { $0["position"]?.integerValue }
            Console.line(
                "Imported \(events.count) Form-\(form) result\(events.count == 1 ? "" : "s") from \(file)"
                    + " (SHA-256 \(answer["fileSha256"]?.stringValue ?? "?"); log positions "
                    + "\(positions.min() ?? 0)–\(positions.max() ?? 0)).")
        }
    }

    /// `value` percent-encoded for a query string.
    static func queryValue(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
