import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Foundation

/// `fieldsync audit export`: the server's signed log into an NDJSON file.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Download the server's log, up to its signed chain head, into an NDJSON file.",
        discussion: """
            Gets the server's signed chain head first, then every event up to that head's position, one export \
            line per event exactly as served, and ends the file with the signed head (its type is \
            fieldsync.chain-head.v1); see Schema/PROTOCOL.md §12. Progress goes to standard error.

            Run it again with the same --out to bring the file up to date or to finish an interrupted export: it \
            goes on after the file's last complete event line (a torn last line and the old head are dropped \
            first) up to a fresh head. A download that breaks off goes on by itself a few times.

            \(ExitStatus.helpText(.unreachable, .refused))
            """
    )

    @Option(help: ArgumentHelp("The file to write, or to bring up to date.", valueName: "FILE"))
    var out: String

    @Option(
        help: ArgumentHelp(
            "For a new file: only the events after this position (verify needs the whole log).", valueName: "N"))
    var after: String?

    @OptionGroup var server: AuditServerOptions

    func run() async throws {
        try await CommandFailure.reporting {
            var start: Int64?
            if let after {
                guard let value = Int64(after), value >= 0 else {
                    throw UsageProblem("--after '\(after)' is not a position (allowed: an integer ≥ 0)")
                }
                start = value
            }
            let api = AuditServer(credentials: try server.credentials())
            let progress = ProgressLine()
            let outcome: ExportDownload.Outcome
            do {
                outcome = try await ExportDownload(server: api, path: out, after: start).run { state in
                    progress.show(Self.describe(state))
                }
            } catch {
                progress.clear()
                throw error
            }
            progress.clear()
            let state = outcome.progress
            let resumed = outcome.resumedFrom
            var notes = [String]()
            if resumed.lastLine != nil { notes.append("continued after position \(resumed.lastPosition)") }
            if resumed.tornBytes > 0 { notes.append("dropped a torn last line of \(resumed.tornBytes) bytes") }
            if resumed.hadHead { notes.append("replaced the previous signed head") }
            if state.retries > 0 { notes.append("the download broke off and went on \(state.retries) times") }
            Console.lines([
                "Exported \(TallyText.count(Int64(state.events))) events to \(out) (positions "
                    + "\(state.startPosition + (state.events > 0 ? 1 : 0))…\(state.position)), ending with the "
                    + "server's head signed at \(outcome.head.time ?? "?") for position "
                    + "\(outcome.head.position ?? 0)" + (notes.isEmpty ? "" : "; " + notes.joined(separator: ", "))
                    + String(format: ". %.0f events/s.", state.rate)
            ])
        }
    }

    /// `exported 12,345 events · position 12,345 of 50,000 (24%) · 8,123 events/s`.
    static func describe(_ state: ExportProgress) -> String {
        "exported \(TallyText.count(Int64(state.events))) events · position \(TallyText.count(Int64(state.position))) of "
            + "\(TallyText.count(Int64(state.headPosition))) (\(Int(state.fraction * 100))%) · "
            + "\(TallyText.count(Int64(Int(state.rate)))) events/s"
            + (state.retries > 0 ? " · went on after \(state.retries) breaks" : "")
    }
}
