import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `fieldsync project`: the projector on its own, beside a `fieldsync serve --no-projector`, or to
/// rebuild the tallies.
struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Fold the event log into the tally tables, in a process of its own.",
        discussion: """
            Finds the database as the admin commands do: --database-url, else the server running on the data
            folder, else the folder's embedded cluster. Follows the log until SIGINT or SIGTERM, stopping at a
            checkpoint. --rebuild first folds the whole log again into fresh tables and swaps them in at once
            (readers keep the old tallies until then). --once stops when nothing is left to fold.

            \(ExitStatus.helpText())
            """
    )

    @Option(
        name: .customLong("database-url"),
        help:
            "An existing PostgreSQL server: postgresql://USER:PASSWORD@HOST:PORT/DB (default: $FIELDSYNC_DATABASE_URL)."
    )
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "The server's data folder (default: as for fieldsync serve).")
    var dataDirectory: String?

    @Flag(help: "Rebuild every tally from position 0 first.")
    var rebuild = false

    @Flag(help: "Fold what is pending, then exit instead of following the log.")
    var once = false

    func run() async throws {
        let logger = Logger(label: "fieldsync.project")
        try await CommandFailure.reporting {
            let database = try await AdminDatabase.open(
                databaseURL: databaseURL, dataDirectory: dataDirectory ?? DataDirectory.serverDefault, logger: logger)
            let projector = Projector(events: database.events, logger: logger)
            do {
                if rebuild {
                    let position = try await projector.rebuild()
                    Console.line("Tallies rebuilt from the whole log, up to position \(position).")
                }
                if once {
                    let position = try await projector.applyPending()
                    Console.line("Tallies folded up to position \(position).")
                } else {
                    Console.line("Folding events into tallies as they arrive — Ctrl-C to stop.")
                    let group = ServiceGroup(
                        configuration: .init(
                            services: [projector], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                    try await group.run()
                }
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        }
    }
}
