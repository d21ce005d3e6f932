import FieldSyncStore
import Logging
import ServiceLifecycle

/// Keeps the ``ReferenceCache`` current with what other processes append: listens to the store's
/// notifications and refreshes the cache on each. (This process's own reference appends refresh it
/// directly.) A lost connection is reopened after a pause, and a failed refresh is tried again.
struct ReferenceFollower: Service {
    let cache: ReferenceCache
    let pool: PostgresPool
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            let listening = await pool.configuration.with(applicationName: "fieldsync reference")
            await listening.withNotifications(on: EventStore.notificationChannel, logger: logger) { wakes in
                // The first wake, and the one after a lost connection, reads what was appended while no one
                // listened.
                for await _ in wakes {
                    do {
                        try await RetryPause.untilSuccess("cannot refresh reference data; will retry", logger: logger) {
                            try await cache.refresh()
                        }
                    } catch {
                        return  // cancelled
                    }
                }
            }
        }
    }
}
