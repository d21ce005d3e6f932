import FieldSyncStore
import FieldSyncTestSupport
import Testing

@Suite struct ConnectionErrorTests {
    @Test(arguments: [
        "not a url", "postgresql://user:secret@host:notaport/db", "postgresql://host/db?nonsense=1",
        "postgresql://user:secret@[::1/db",
    ])
    func aBadURLIsRefusedWithoutRepeatingThePassword(url: String) {
        let error = #expect(throws: PostgresError.self) { try PostgresConfiguration(url: url) }
        #expect(error?.code == .badConnectionURL)
        #expect(error?.description.contains("secret") == false)
        #expect(error?.description.contains("expected postgresql://") == true)
    }

    @Test func anUnreachableServerSaysWhere() async throws {
        let configuration = PostgresConfiguration(
            host: "127.0.0.1", port: 9, user: "fieldsync", password: "hunter2", database: "fieldsync")
        let error = await #expect(throws: PostgresError.self) { try await PostgresConnection.connect(configuration) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func aWrongPasswordIsRefusedAndNeverShown() async throws {
        let server = try await TestCluster.shared.superuser()
        let wrong = PostgresConfiguration(
            host: server.host, port: server.port, user: server.user, password: "wrong-password-42",
            database: server.database)
        let error = await #expect(throws: PostgresError.self) { try await PostgresConnection.connect(wrong) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("password authentication failed") == true)
        #expect(error?.description.contains("wrong-password-42") == false)
    }

    @Test func aServerErrorCarriesItsSQLStateButNotTheBoundValues() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let secret = "value-that-must-not-leak"
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.query("SELECT \(secret)::int") }
        }
        #expect(error?.sqlState == "22P02")
        #expect(error?.statement == "SELECT $1::int")
        #expect(error?.description.contains(secret) == false)
    }

    @Test func valuesAreBoundNotSpliced() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let hostile = "'); DROP TABLE events; --"
        let echoed = try await pool.withConnection { connection in
            try await connection.query("SELECT \(hostile)::text").first!.decode(String.self, column: 0)
        }
        #expect(echoed == hostile)
        #expect(try await EventStore(pool: pool).head() == .empty)
    }
}
