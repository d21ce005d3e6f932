import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `fieldsync sync`: pushes what the server lacks, resumably, then refreshes the reference data.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send the server every observation it does not have yet, then refresh the reference data.",
        discussion: """
            Asks the server how far it holds this device's log, then sends the rest in order, in batches, and \
            keeps the server's signed receipt for each batch. Run it whenever you are online. It is safe to \
            interrupt at any moment (Ctrl-C, a dropped connection, a flat battery) and to run again: nothing is \
            lost and nothing is stored twice. On network errors and server failures it tries again, waiting \
            longer each time, and gives up after --give-up-after. Then it refreshes the stations and candidates.

            If the server holds a different event under one of this device's (a conflict), or refuses an \
            event, sync stops and says which event and why; the local log is never changed.

            \(ExitStatus.helpText(.unreachable, .conflict, .invalid, .refused, .logProblem, .untrustedServer))
            """
    )

    @Flag(help: "Print one JSON object describing the outcome, for scripts (progress still goes to stderr).")
    var json = false

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Events per request.", valueName: "N"))
    var batchSize = 500

    @Option(
        name: .customLong("give-up-after"),
        help: ArgumentHelp(
            "Stop retrying after the server has been unreachable this long: 30s, 5m, 1h.", valueName: "DURATION"))
    var giveUpAfter = "2m"

    @OptionGroup var home: ClientHomeOption

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard Lifetime.seconds(giveUpAfter) != nil else {
            throw ValidationError("--give-up-after must be a duration such as 30s, 5m or 1h, not '\(giveUpAfter)'")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let home = home.home
            let store = ProfileStore(home: home)
            let profile = try store.profile()
            let key = try store.deviceKey()
            let progress = SyncProgressView()
            var options = SyncEngine.Options(batchSize: batchSize)
            options.backoff.giveUpAfter = .seconds(Lifetime.seconds(giveUpAfter)!)
            let engine = SyncEngine(home: home, profile: profile, key: key, options: options) { progress.handle($0) }
            let report = try await ServerAPI.withClient(trusting: home.trustedCertificate) { client in
                await engine.run(api: ServerAPI(client: client, server: profile.server, token: profile.token))
            }
            progress.line.clear()
            if json {
                Console.line(CanonicalJSON.string(report.jsonValue))
                CommandFailure.exit(report.exitStatus)
            }
            if report.outcome == .synced {
                Console.line(report.message)
                if let quarantined = report.quarantined { Console.error("fieldsync: note: \(quarantined)") }
                return
            }
            CommandFailure.fail(report.message, report.exitStatus)
        }
    }
}
