import ArgumentParser
import FieldSyncClient
import FieldSyncStore
import Logging

/// `fieldsync migrate`: brings a database on a PostgreSQL server of your own up to date, as its owner role.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations to a database of your own, as its owner role (before fieldsync serve).",
        discussion: """
            The server connects as fieldsync_server, which may not change the schema: the owner role \
            (fieldsync_owner, see Deploy/postgresql-roles.sql) applies the migrations with this command before \
            the server starts (Deploy/fieldsync-migrate.service does it under systemd, before every start). The \
            embedded cluster needs none of this: fieldsync serve migrates it as its own owner role. A migration \
            that fails leaves nothing behind.

            \(ExitStatus.helpText())
            """
    )

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "The owner role's database: postgresql://fieldsync_owner:PASSWORD@HOST:PORT/DB (default: $FIELDSYNC_OWNER_DATABASE_URL).",
            valueName: "url"))
    var databaseURL: String?

    func validate() throws {
        _ = try ownerURL()
    }

    private func ownerURL() throws -> String {
        guard let url = DataDirectory.ownerDatabaseURL(databaseURL) else {
            throw ValidationError(
                "give the owner role's URL with --database-url or $FIELDSYNC_OWNER_DATABASE_URL "
                    + "(the embedded cluster is migrated by fieldsync serve itself)")
        }
        return url
    }

    func run() async throws {
        let url = try ownerURL()
        var logger = Logger(label: "fieldsync.migrate")
        logger.logLevel = .warning
        try await CommandFailure.reporting {
            let pool = PostgresPool(configuration: try PostgresConfiguration(url: url), maximumConnections: 1)
            do {
                let applied = try await Migrator(logger: logger).migrate(pool)
                await pool.close()
                let newest = Migration.all.last?.name ?? "none"
                Console.line(
                    applied.isEmpty
                        ? "The database is up to date (\(newest))."
                        : "Applied \(applied.map(\.name).joined(separator: ", ")): the database is up to date (\(newest))."
                )
            } catch {
                await pool.close()
                throw error
            }
        }
    }
}
