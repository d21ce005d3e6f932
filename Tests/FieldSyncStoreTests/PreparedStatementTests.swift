import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// A statement run a second time on a connection is prepared on its session and run by name: the same
/// answers and the same errors as run unnamed, and prepared again on the session of a connection that was
/// lost and made again.
@Suite struct PreparedStatementTests {
    static func sum(_ value: Int64) -> SQL { "SELECT \(value)::bigint + 1" }

    static func prepared(on connection: PostgresConnection) async throws -> [String] {
        try await connection.query("SELECT statement FROM pg_prepared_statements ORDER BY statement").map {
            try $0.decode(String.self, column: 0)
        }
    }

    @Test func aStatementRunAgainIsPreparedAndAnswersTheSame() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        try await pool.withConnection { connection throws in
            #expect(try await connection.query(Self.sum(1)).first!.decode(Int64.self, column: 0) == 2)
            #expect(try await Self.prepared(on: connection).isEmpty)
            for value in Int64(2)...5 {
                #expect(try await connection.query(Self.sum(value)).first!.decode(Int64.self, column: 0) == value + 1)
            }
            #expect(try await Self.prepared(on: connection).contains("SELECT $1::bigint + 1"))
        }
    }

    @Test func aStatementTheServerRefusesIsRefusedAlikeEveryTime() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        try await pool.withConnection { connection throws in
            for _ in 0..<3 {
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.query("SELECT \(Int64(1)) FROM no_such_table")
                }
                #expect(error?.sqlState == "42P01")
                #expect(error?.statement == "SELECT $1 FROM no_such_table")
            }
            // Nothing of it is left to spoil what follows.
            for value in Int64(0)..<3 {
                #expect(try await connection.query(Self.sum(value)).first!.decode(Int64.self, column: 0) == value + 1)
            }
        }
    }

    @Test func aLostSessionIsPreparedAgain() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        let admin = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        try await pool.withConnection { connection throws in
            for value in Int64(0)..<3 { _ = try await connection.query(Self.sum(value)) }
            let pid = try await connection.query("SELECT pg_backend_pid()").first!.decode(Int32.self, column: 0)
            _ = try await admin.withConnection { try await $0.query("SELECT pg_terminate_backend(\(pid))") }
            // The loss is reported, then again by the call that makes the session again.
            for _ in 0..<2 {
                let lost = await #expect(throws: PostgresError.self) { try await connection.query(Self.sum(7)) }
                #expect(lost?.code == .connectionLost)
            }
            for value in Int64(0)..<3 {
                #expect(try await connection.query(Self.sum(value)).first!.decode(Int64.self, column: 0) == value + 1)
            }
            #expect(try await Self.prepared(on: connection).contains("SELECT $1::bigint + 1"))
        }
        await admin.close()
    }
}
