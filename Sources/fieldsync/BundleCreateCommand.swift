import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync bundle create`: everything the server has not acknowledged, in one file.
struct BundleCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write every event the server has not acknowledged, and their photos, into one bundle file.",
        discussion: """
            The bundle holds the events after the last one the server's receipts cover, exactly as signed, \
            with the device's chain and the photos they name that the server is not known to hold. Give it to \
            anyone enrolled with the server (`fieldsync bundle push FILE`) or to the server's admin \
            (`fieldsync admin import FILE`). The log is only read: the next `fieldsync sync` learns what the \
            server stored and keeps its receipts.
            """
    )

    @Option(name: .customLong("out"), help: ArgumentHelp("The bundle file to write.", valueName: "FILE"))
    var out: String?

    @OptionGroup var home: ClientHomeOption

    func run() async throws {
        try await CommandFailure.reporting {
            let recorded = try await RecordedLog.open(home.home)
            try recorded.log.requireIntact()
            guard let bundle = try OutgoingBundle.make(log: recorded.log, state: recorded.state) else {
                throw UsageProblem(
                    "nothing to carry: the server's receipts cover all \(recorded.log.lastSeq) events of this device")
            }
            let author = bundle.manifest.authors[0]
            let file = out ?? "fieldsync-\(author.device)-seq\(author.firstSeq)-\(author.lastSeq).bundle"
            try DurableFile.replace(file, with: bundle.bytes, mode: 0o600)
            Console.line(
                "Wrote \(file): seq \(author.firstSeq)…\(author.lastSeq) of device \(author.device)"
                    + " (\(author.events) event\(author.events == 1 ? "" : "s")),"
                    + " \(bundle.photos.count) photo\(bundle.photos.count == 1 ? "" : "s").")
        }
    }
}
