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

            With --photos DIR, the photos of the signed sheets the log's events name are then downloaded into \
            DIR, one file per photo named by its SHA-256, each checked against its name (and the size and type \
            its event states) before it is kept. A photo's bytes are kept in DIR/<sha256>.part as they arrive: a \
            download that breaks off, or a later run, asks only for the rest (an HTTP Range request) and the part \
            becomes the photo once it is whole and checked. Run again, it fetches only the photos still missing. \
            A photo the server does not hold yet is listed as pending.

            \(ExitStatus.helpText(.unreachable, .refused))
            """
    )

    @Option(help: ArgumentHelp("The file to write, or to bring up to date.", valueName: "FILE"))
    var out: String

    @Option(
        help: ArgumentHelp(
            "For a new file: only the events after this position (verify needs the whole log).", valueName: "N"))
    var after: String?

    @Option(help: ArgumentHelp("A folder to download the photos the log names into.", valueName: "DIR"))
    var photos: String?

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
            if let photos { try await Self.downloadPhotos(into: photos, namedIn: out, from: api) }
        }
    }

    /// Downloads the photos the export at `file` names into `folder`, and says what it did.
    static func downloadPhotos(into folder: String, namedIn file: String, from api: AuditServer) async throws {
        let check = PhotoFolderCheck(folder: folder)
        let named = try PhotoFolderCheck.named(inExport: file)
        let progress = ProgressLine()
        let done: PhotoFolderCheck.Downloaded
        do {
            done = try await check.download(named, from: api) { done in
                progress.show("photos: \(done.fetched + done.kept + done.pending.count) of \(named.count)")
            }
        } catch {
            progress.clear()
            throw error
        }
        progress.clear()
        var lines = [
            "Photos: \(named.count) named by the log; \(done.fetched) downloaded to \(folder) "
                + "(\(TallyText.count(Int64(done.bytes))) bytes), \(done.kept) there already, "
                + "\(done.pending.count) not on the server yet"
                + (done.resumed > 0 ? "; \(done.resumed) went on from a part kept before." : ".")
        ]
        lines += done.pending.map { "  pending: \($0.photo.sha256.hex) (named at position \($0.position))" }
        Console.lines(lines)
    }

    /// `exported 12,345 events · position 12,345 of 50,000 (24%) · 8,123 events/s`.
    static func describe(_ state: ExportProgress) -> String {
        "exported \(TallyText.count(Int64(state.events))) events · position \(TallyText.count(Int64(state.position))) of "
            + "\(TallyText.count(Int64(state.headPosition))) (\(Int(state.fraction * 100))%) · "
            + "\(TallyText.count(Int64(Int(state.rate)))) events/s"
            + (state.retries > 0 ? " · went on after \(state.retries) breaks" : "")
    }
}
