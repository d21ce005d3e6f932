import FieldSyncStore
import FieldSyncTestSupport
import Logging
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
        // However long a loaded machine takes to deliver them (a guard of two minutes against a hang).
        for _ in 0..<1_200 where received.count < 2 {
            received += try await listener.waitForNotifications(timeoutMilliseconds: 100)
        }
        received += try await listener.waitForNotifications(timeoutMilliseconds: 200)
        #expect(received.map(\.payload) == ["3", "4"])
        #expect(received.allSatisfy { $0.channel == EventStore.notificationChannel })
        await listener.close()
    }

    /// A notification asked for in a transaction goes with its commit, quoted as given, and never with a
    /// rollback; the connection lent next has none of them left.
    @Test func aNotificationAtCommitGoesOnlyWithTheCommit() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        let listener = try await PostgresConnection.connect(pool.configuration)
        try await listener.listen("fieldsync_test")

        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await pool.withTransaction { connection in
                connection.notifyAtCommit(channel: "fieldsync_test", payload: "rolled back")
                throw Refused()
            }
        }
        // Asked for outside a transaction: forgotten when the connection is given back.
        try await pool.withConnection { connection in
            connection.notifyAtCommit(channel: "fieldsync_test", payload: "never committed")
        }
        try await pool.withTransaction { connection in
            connection.notifyAtCommit(channel: "fieldsync_test", payload: "it's 1")
            connection.notifyAtCommit(channel: "fieldsync_test", payload: "2")
        }

        var received: [PostgresNotification] = []
        for _ in 0..<1_200 where received.count < 2 {
            received += try await listener.waitForNotifications(timeoutMilliseconds: 100)
        }
        received += try await listener.waitForNotifications(timeoutMilliseconds: 200)
        #expect(received.map(\.payload) == ["it's 1", "2"])
        await listener.close()
    }

    /// The sequence every listener reads: it says it listens, hands on what is notified, and when its
    /// connection is killed it listens again on a new one, saying so, so that the reader reads what it
    /// missed.
    @Test func theNotificationSequenceListensAgainAfterItsConnectionIsKilled() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let store = EventStore(pool: pool)
        var device = RecordFactory()
        let listening = await pool.configuration.with(applicationName: "fieldsync notification test")
        try await listening.withNotifications(
            on: EventStore.notificationChannel, logger: Logger(label: "test")
        ) { wakes in
            var iterator = wakes.makeAsyncIterator()
            #expect(await iterator.next() == .listening)
            _ = try await store.append([device.next(), device.next()])
            guard case .notified(let first) = await iterator.next() else {
                Issue.record("no notification of the append")
                return
            }
            #expect(first.map(\.payload) == ["2"])
            let killed = try await pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = 'fieldsync notification test'
                    """
                ).first!.decode(Int64.self, column: 0)
            }
            #expect(killed == 1)
            #expect(await iterator.next() == .listening)
            _ = try await store.append([device.next()])
            guard case .notified(let received) = await iterator.next() else {
                Issue.record("no notification after listening again")
                return
            }
            #expect(received.map(\.payload) == ["3"])
        }
    }
}
