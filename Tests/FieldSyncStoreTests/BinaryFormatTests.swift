import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// Rows asked for in PostgreSQL's binary format read as the same values as in its text format, for the
/// types that read it; any other column in binary is refused with its type named, never misread.
@Suite struct BinaryFormatTests {
    static let values: SQL = """
        SELECT 9007199254740993::bigint, -7::integer, -3::smallint, 'Sindh ✓'::text,
               decode('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex'),
               '6f9619ff-8b86-4011-b42d-00c04fc964ff'::uuid, '{"b": [1, "ü"]}'::jsonb, '-9223372036854775808'::bigint
        """

    @Test func binaryRowsReadAsTheirText() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        try await pool.withConnection { connection throws in
            let text = try #require(try await connection.query(Self.values).first)
            let binary = try #require(try await connection.query(Self.values, format: .binary).first)
            for row in [text, binary] {
                #expect(try row.decode(Int64.self, column: 0) == 9_007_199_254_740_993)
                #expect(try row.decode(Int.self, column: 1) == -7)
                #expect(try row.decode(Int64.self, column: 2) == -3)
                #expect(try row.decode(String.self, column: 3) == "Sindh ✓")
                #expect(try row.decode(SHA256Digest.self, column: 4) == SHA256Digest.hash("abc"))
                #expect(try row.decode(Int64.self, column: 7) == .min)
            }
            #expect(try String(decoding: binary.unsafeText(column: 6), as: UTF8.self) == #"{"b": [1, "ü"]}"#)
            let uuid = try #require(try binary.unsafeBinary(column: 5))
            #expect(
                uuid.type == .uuid && EventID(bytes: uuid.bytes)?.description == "6f9619ff-8b86-4011-b42d-00c04fc964ff")
            #expect(try text.unsafeBinary(column: 5) == nil)
        }
    }

    @Test func aColumnOfAnotherTypeInBinaryIsRefusedWithItsType() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(maximumConnections: 1)
        try await pool.withConnection { connection throws in
            let row = try #require(try await connection.query(Self.values, format: .binary).first)
            for (column, read, words) in [
                (5, { try row.decode(String.self, column: 5) as Any }, "16 bytes of uuid in binary format as String"),
                (3, { try row.decode(Int64.self, column: 3) as Any }, "of text in binary format as Int64"),
                (0, { try row.decode(SHA256Digest.self, column: 0) as Any }, "8 bytes of bigint in binary format"),
                (4, { try row.unsafeText(column: 4) as Any }, "of type bytea in binary format is not text"),
            ] {
                let error = #expect(throws: PostgresError.self, "column \(column)") { _ = try read() }
                #expect(error?.message.contains(words) == true, "\(String(describing: error))")
            }
        }
    }
}
