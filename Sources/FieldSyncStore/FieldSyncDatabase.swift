import Logging

/// The database a FieldSync server uses: an embedded cluster in the data folder, or an existing
/// PostgreSQL server given by URL; migrated and ready, with a connection pool.
///
/// The pool connects as the server's role (``DatabaseRole/server``), which may append and read events but
/// not alter the table or its triggers. The embedded cluster migrates as its owner role first; on a
/// server of your own the owner migrates with `fieldsync migrate`, and the URL given here is the server
/// role's (a URL whose role may migrate, such as the owner's, still works, with a warning).
public struct FieldSyncDatabase: Sendable {
    /// Where the database runs.
    public enum Location: Sendable {
        /// A private cluster in this data folder, started and stopped with the database.
        case embedded(dataDirectory: String)
        /// An existing server.
        case url(String)
    }

    public let pool: PostgresPool
    /// The event store on this database. Keep using this one: it remembers device heads between appends.
    public let events: EventStore
    /// Where the pool connects, and as whom.
    public let configuration: PostgresConfiguration
    /// The embedded cluster, when there is one.
    public let cluster: EmbeddedPostgres?

    /// Starts the embedded cluster if asked to, applies any pending migration (as the owner role with
    /// the embedded cluster; with a URL, only if its role may), and connects.
    public static func open(
        _ location: Location, maximumConnections: Int = 16, logger: Logger = Logger(label: "fieldsync.database")
    ) async throws -> FieldSyncDatabase {
        let cluster: EmbeddedPostgres?
        let configuration: PostgresConfiguration
        let migrating: PostgresConfiguration
        switch location {
        case .embedded(let dataDirectory):
            let embedded = EmbeddedPostgres(options: .init(dataDirectory: dataDirectory))
            _ = try await embedded.start()
            guard let owner = await embedded.login(.owner), let server = await embedded.login(.server) else {
                await embedded.stop()
                throw EmbeddedPostgresError("the embedded cluster started without its application roles")
            }
            (cluster, configuration, migrating) = (embedded, server, owner)
            logger.info(
                "embedded PostgreSQL started", metadata: ["database": "\(configuration)", "data": "\(dataDirectory)"])
        case .url(let url):
            configuration = try PostgresConfiguration(url: url)
            (cluster, migrating) = (nil, configuration)
        }
        let migrator = PostgresPool(configuration: migrating, maximumConnections: 1)
        do {
            let applied = try await Migrator(logger: logger).migrate(migrator)
            if !applied.isEmpty { logger.info("database migrated", metadata: ["applied": "\(applied.count)"]) }
            await migrator.close()
        } catch {
            await migrator.close()
            await cluster?.stop()
            throw error
        }
        let pool = PostgresPool(configuration: configuration, maximumConnections: maximumConnections)
        do {
            if try await RolePrivileges.canAlterEvents(pool) {
                logger.warning(
                    Logger.Message(
                        stringLiteral: "the database role can alter the events table and switch its append-only "
                            + "triggers off: connect as \(DatabaseRole.server.name) instead (see Deploy/ROLES.md)"),
                    metadata: ["role": "\(configuration.user)"])
            }
        } catch {
            await pool.close()
            await cluster?.stop()
            throw error
        }
        return FieldSyncDatabase(
            pool: pool, events: EventStore(pool: pool), configuration: configuration, cluster: cluster)
    }

    /// Closes the pool and stops the embedded cluster, if any.
    public func close() async {
        await pool.close()
        await cluster?.stop()
    }
}
