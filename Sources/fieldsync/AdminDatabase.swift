import FieldSyncStore
import Logging

/// The database an `admin` command works on: the one given by URL; else that of the server running on
/// the data folder (found through its `server.json`); else the folder's embedded cluster, started for
/// the length of the command.
struct AdminDatabase {
    let pool: PostgresPool
    let events: EventStore
    /// The API's address when a server is running on the data folder.
    let api: String?
    private let closing: @Sendable () async -> Void

    static func open(databaseURL: String?, dataDirectory: String, logger: Logger) async throws -> AdminDatabase {
        let state = ServerStateFile.read(in: dataDirectory)
        if let databaseURL {
            let database = try await FieldSyncDatabase.open(.url(databaseURL), maximumConnections: 2, logger: logger)
            return AdminDatabase(
                pool: database.pool, events: database.events, api: state?.api, closing: { await database.close() })
        }
        if let state {
            guard let configuration = state.database else {
                throw ServerStateError(
                    "the server running on \(dataDirectory) uses --database-url: give the same --database-url")
            }
            let pool = PostgresPool(configuration: configuration, maximumConnections: 2)
            do {
                try await Migrator(logger: logger).migrate(pool)
                return AdminDatabase(
                    pool: pool, events: EventStore(pool: pool), api: state.api, closing: { await pool.close() })
            } catch let error as PostgresError where error.code == .connectionFailed {
                // A server that died without removing its file: start the cluster here.
                await pool.close()
            }
        }
        let database = try await FieldSyncDatabase.open(
            .embedded(dataDirectory: dataDirectory), maximumConnections: 2, logger: logger)
        return AdminDatabase(
            pool: database.pool, events: database.events, api: nil, closing: { await database.close() })
    }

    func close() async {
        await closing()
    }
}
