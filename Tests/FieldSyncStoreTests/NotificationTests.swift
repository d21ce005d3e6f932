import FieldSyncStore
import FieldSyncTestSupport
import Testing

@Suite struct NotificationTests {
    @Test func eachCommittedBatchSendsOneNotification() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let store = EventStore(pool: pool)
        let listener = try await PostgresConnection.connect(pool.configuration)
        try await listener.listen(EventStore.notificationChannel)

        var device = RecordFactory()
        _ = try await store.append([device.next(), device.next(), device.next()])
        _ = try await store.append([device.next()])
        // A batch that stores nothing new notifies no one.
        _ = try await store.append([])

        var received: [PostgresNotification] = []
        for _ in 0..<20 where received.count < 2 {
            received += try await listener.waitForNotifications(timeoutMilliseconds: 100)
        }
        received += try await listener.waitForNotifications(timeoutMilliseconds: 200)
        #expect(received.map(\.payload) == ["3", "4"])
        #expect(received.allSatisfy { $0.channel == EventStore.notificationChannel })
        await listener.close()
    }
}
