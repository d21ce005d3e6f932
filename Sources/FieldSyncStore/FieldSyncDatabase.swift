import Logging

/// The database a FieldSync server uses: an embedded cluster in the data folder, or an existing
/// PostgreSQL server given by URL; migrated and ready, with a connection pool.
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
    public let configuration: PostgresConfiguration
    /// The embedded cluster, when there is one.
    public let cluster: EmbeddedPostgres?

    /// Starts the embedded cluster if asked to, connects, and applies any pending migration.
    public static func open(
        _ location: Location, maximumConnections: Int = 16, logger: Logger = Logger(label: "fieldsync.database")
    ) async throws -> FieldSyncDatabase {
        let cluster: EmbeddedPostgres?
        let configuration: PostgresConfiguration
        switch location {
        case .embedded(let dataDirectory):
            let embedded = EmbeddedPostgres(options: .init(dataDirectory: dataDirectory))
            configuration = try await embedded.start()
            cluster = embedded
            logger.info("embedded PostgreSQL started", metadata: ["database": "\(configuration)", "data": "\(dataDirectory)"])
        case .url(let url):
            configuration = try PostgresConfiguration(url: url)
            cluster = nil
        }
        let pool = PostgresPool(configuration: configuration, maximumConnections: maximumConnections)
        do {
            let applied = try await Migrator(logger: logger).migrate(pool)
            if !applied.isEmpty { logger.info("database migrated", metadata: ["applied": "\(applied.count)"]) }
        } catch {
            await pool.close()
            await cluster?.stop()
            throw error
        }
        return FieldSyncDatabase(pool: pool, events: EventStore(pool: pool), configuration: configuration, cluster: cluster)
    }


    /// Closes the pool and stops the embedded cluster, if any.
    public func close() async {
        await pool.close()
        await cluster?.stop()
    }
}
