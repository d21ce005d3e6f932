import ArgumentParser
import FieldSyncStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `fieldsync serve`: the server, on an embedded PostgreSQL cluster unless given a database URL.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the FieldSync server: PostgreSQL (embedded unless --database-url), migrations, API.",
        discussion: """
            With no --database-url, the server starts a private PostgreSQL cluster in its data folder
            (made on first start) and stops it on exit. SIGINT or SIGTERM shut it down gracefully.
            """
    )

    @Option(name: .customLong("database-url"), help: "An existing PostgreSQL server: postgresql://USER:PASSWORD@HOST:PORT/DB.")
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "The server's data folder (default: $FIELDSYNC_DATA_DIR, else /var/lib/fieldsync as root, else ~/.local/share/fieldsync).")
    var dataDirectory: String?

    func run() async throws {
        let logger = Logger(label: "fieldsync.serve")
        let folder = dataDirectory ?? DataDirectory.serverDefault
        try await CommandFailure.reportingOnOneLine {
            let database = try await FieldSyncDatabase.open(
                databaseURL.map { .url($0) } ?? .embedded(dataDirectory: folder), logger: logger)
            Console.line("FieldSync database ready at \(database.configuration) — press Ctrl-C to stop.")
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: WaitForShutdown())],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            do {
                try await group.run()
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            Console.line("FieldSync stopped.")
        }
    }
}

/// A service that does nothing but wait for the graceful shutdown of its group.
struct WaitForShutdown: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}
