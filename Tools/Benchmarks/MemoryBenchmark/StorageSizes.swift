import BenchmarkSupport
import FieldSyncStore
import Logging
import ServeSupport

/// The disk the log and the projector's tables take in the embedded cluster of `dataDirectory`, read with
/// the server stopped: the whole database, then its eight largest tables with their indexes and the
/// planner's estimate of their rows.
func storageSizes(dataDirectory: String) async throws -> [String] {
    var quiet = Logger(label: "memory-benchmark.storage")
    quiet.logLevel = .warning
    let database = try await FieldSyncDatabase.open(
        .embedded(dataDirectory: dataDirectory), maximumConnections: 1, logger: quiet)
    do {
        let lines = try await database.pool.withConnection { connection in
            let tables = try await connection.query(
                """
                SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname = 'public'
                ORDER BY 2 DESC
                """)
            let whole = try await connection.query("SELECT pg_database_size(current_database())")
            var lines = try tables.prefix(8).map { row in
                let bytes = try row.decode(Int64.self, column: 1)
                let rows = try row.decode(Int64.self, column: 2)
                return
                    "  \(try row.decode(String.self, column: 0)): \(mebibytes(Int(bytes / 1024))), about \(max(rows, 0)) rows"
            }
            lines.insert(
                "database: \(mebibytes(Int(try whole.first!.decode(Int64.self, column: 0) / 1024))) on disk", at: 0)
            return lines
        }
        await database.close()
        return lines
    } catch {
        await database.close()
        throw error
    }
}
