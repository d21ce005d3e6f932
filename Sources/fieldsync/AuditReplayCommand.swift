import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Foundation

/// `fieldsync audit replay FILE`: the tallies folded offline from an export, and how the server's differ.
struct AuditReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Compute the tallies from an exported log offline, and compare them with the server's.",
        discussion: """
            Folds the file's events with the same code the server's projector runs and prints the city overview \
            as fieldsync tally does (--json: the API's document). --until POS|TIME folds only the events up to \
            that position, or observed by that time (RFC 3339 with its offset).

            With --compare URL, asks that server for its tallies at the same cutoff — its live tallies when its \
            projector stands exactly at the export's head, else as of the head's position — for every document it \
            serves: the city, every district and constituency, every station's summary (in its National Assembly \
            seat's answer) and every station's own document, and, when comparing live, the official comparison \
            (GET /v1/official, served live only). For each document that differs it lists the first difference: \
            which document, which field, the replay's value and the server's, and how many more the document \
            has. Exit status 0 when they are equal, 8 (a finding) when they differ. Run fieldsync audit verify \
            on the file first: replay folds what the file says.

            \(ExitStatus.helpText(.finding, .unreachable, .refused))
            """
    )

    @Argument(help: ArgumentHelp("An export written by fieldsync audit export.", valueName: "FILE"))
    var file: String

    @Option(
        help: ArgumentHelp("Fold only up to this position, or what was observed by this time.", valueName: "POS|TIME"))
    var until: String?

    @Option(help: ArgumentHelp("Compare with this server's tallies.", valueName: "URL"))
    var compare: String?

    // A token is base64url and may begin with '-': the next argument is the token whatever it looks like.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --compare: an editor's or auditor's token (default: $FIELDSYNC_TOKEN, else the profile's).",
            valueName: "TOKEN"))
    var token: String?

    @OptionGroup var home: ClientHomeOption

    @Flag(help: "Print JSON: the tallies, or with --compare the differences.")
    var json = false

    func run() async throws {
        try await CommandFailure.reporting {
            let cutoff = try Self.cutoff(until)
            var credentials: ReadCredentials?
            if let compare {
                credentials = try AuditServerOptions.credentials(server: compare, token: token, home: home)
            }
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw UsageProblem("cannot read \(file) (allowed: a readable export file)")
            }
            let replay = try ExportReplay(path: file, cutoff: cutoff)
            guard let credentials else {
                let overview = TallyDocuments.overview(replay.tally, cutoff: cutoff)
                if json {
                    Console.line(overview.description)
                } else {
                    Console.lines(TallyTable.overview(overview))
                }
                return
            }
            let comparison = try await AuditTallyComparison.run(
                replay: replay, cutoff: cutoff, server: AuditServer(credentials: credentials))
            report(comparison)
            if !comparison.differences.isEmpty { CommandFailure.exit(.finding) }
        }
    }

    private func report(_ comparison: AuditTallyComparison) {
        let standing = comparison.cutoff?.words ?? "live, at position \(comparison.position)"
        for note in comparison.notes { Console.error("fieldsync: note: \(note)") }
        if json {
            Console.line(
                JSONValue.object([
                    "equal": .bool(comparison.differences.isEmpty), "position": .integer(comparison.position),
                    "asOf": comparison.cutoff?.jsonValue ?? .null, "documents": .integer(Int64(comparison.documents)),
                    "differences": .array(comparison.differences.map(\.jsonValue)),
                ]).description)
            return
        }
        if comparison.differences.isEmpty {
            Console.lines([
                "The server's tallies equal the replay of \(file) (\(standing)): \(comparison.documents) documents "
                    + "compared field by field."
            ])
            return
        }
        Console.lines(comparison.differences.map(\.description))
        Console.error(
            "fieldsync: \(comparison.differences.count) difference\(comparison.differences.count == 1 ? "" : "s") "
                + "between the replay of \(file) and the server's tallies (\(standing)), over "
                + "\(comparison.documents) documents")
    }

    /// `--until POS|TIME`; nil for the whole file.
    static func cutoff(_ text: String?) throws -> TallyCutoff? {
        guard let text else { return nil }
        guard let cutoff = TallyCutoff(text: text) else {
            throw UsageProblem("--until '\(text)' is not a cutoff (allowed: \(TallyCutoff.allowedText))")
        }
        return cutoff
    }
}
