import ArgumentParser
import FieldSyncServer
import Foundation
import Logging

/// `fieldsync admin`: enrollment codes, assignments and revocations, straight on the server's database.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract:
            "Enroll devices, assign reporters to stations, revoke devices, register witnesses, import bundles, on the"
            + " server's database.",
        discussion: """
            These commands talk to the database directly. With no --database-url they use the data folder's:
            the database of the `fieldsync serve` running on it, or its embedded cluster, started for the
            length of the command.
            """,
        subcommands: [
            AdminEnrollCommand.self, AdminAssignCommand.self, AdminRevokeCommand.self, AdminWitnessCommand.self,
            AdminImportCommand.self,
        ]
    )
}

/// Where an admin command finds the server's database and key.
struct AdminLocation: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The server's data folder (default: as for `fieldsync serve`).")
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help:
            "The server's PostgreSQL database, when it does not use the embedded cluster (default: $FIELDSYNC_DATABASE_URL)."
    )
    var databaseURL: String?

    var folder: String { dataDirectory ?? DataDirectory.serverDefault }

    /// Who runs an admin command, for the server's records: the operating-system user.
    static var operatorName: String { "user \(NSUserName()) (fieldsync admin)" }

    /// Runs `body` with a server prepared on this location's database and key (not listening), then closes
    /// the database, whatever happened; also hands over the API's address when a server runs on the folder.
    func withServer<T: Sendable>(_ body: (FieldSyncServer, _ api: String?) async throws -> T) async throws -> T {
        var logger = Logger(label: "fieldsync.admin")
        logger.logLevel = .warning
        let key = try ServerKeyFile.load(at: ServerKeyFile.path(in: folder))
        let database = try await AdminDatabase.open(databaseURL: databaseURL, dataDirectory: folder, logger: logger)
        do {
            let server = try await FieldSyncServer.prepare(
                pool: database.pool, events: database.events, key: key, logger: logger)
            let value = try await body(server, database.api)
            await database.close()
            return value
        } catch {
            await database.close()
            throw error
        }
    }
}
