import FieldSyncStore
import Logging
import ServiceLifecycle

/// Keeps the ``ReferenceCache`` current with what other processes append: listens to the store's
/// notifications and refreshes the cache on each. (This process's own reference appends refresh it
/// directly.) A lost connection is reopened after a pause.
struct ReferenceFollower: Service {
    let cache: ReferenceCache
    let pool: PostgresPool
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await follow()
                } catch {
                    guard !Task.isCancelled else { return }
                    logger.warning("following reference data failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(2))
                }
            }
        }
    }

    private func follow() async throws {
        let configuration = await pool.configuration.with(applicationName: "fieldsync reference")
        let connection = try await PostgresConnection.connect(configuration)
        do {
            try await connection.listen(EventStore.notificationChannel)
            // Events appended while no one listened.
            try await cache.refresh()
            while !Task.isCancelled {
                let notifications = try await connection.waitForNotifications(timeoutMilliseconds: 500)
                if !notifications.isEmpty { try await cache.refresh() }
            }
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }
}
