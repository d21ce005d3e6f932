import Logging

/// Applies the numbered migrations in order, each once, each in its own transaction, and records
/// each with its checksum in `schema_migrations`.
///
/// An applied migration whose file has since been edited is an error, as is a database that has
/// migrations this program does not know (it was migrated by a newer version). Concurrent migrators
/// (two servers starting at once) take turns on an advisory lock.
public struct Migrator: Sendable {
    public var migrations: [Migration]
    public var logger: Logger

    public init(migrations: [Migration] = Migration.all, logger: Logger = Logger(label: "fieldsync.migrations")) {
        self.migrations = migrations
        self.logger = logger
    }

    /// An arbitrary constant that names the migration lock among the database's advisory locks.
    static let lockKey: Int64 = 0x6669_656c_6473_796e

    /// Brings the database up to date and returns the migrations it applied (none if it was current).
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Migration] {
        try checkNumbering()
        try await pool.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
            try await connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        }
        var applied: [Migration] = []
        for migration in migrations {
            let didApply = try await pool.withTransaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
                let recorded = try await connection.query(
                    "SELECT name, checksum FROM schema_migrations WHERE version = \(migration.version)")
                if let row = recorded.first {
                    let checksum = try row.decode(String.self, column: 1)
                    guard checksum == migration.checksum else {
                        throw MigrationError(
                            description: "migration \(migration.name) was edited after it was applied "
                                + "(recorded checksum \(checksum.prefix(12))…, file \(migration.checksum.prefix(12))…): "
                                + "never edit an applied migration, add a new one")
                    }
                    return false
                }
                try await connection.executeScript(SQL(unsafeSQL: migration.sql))
                try await connection.execute(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """)
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
                applied.append(migration)
            }
        }
        try await checkNoUnknownMigrations(pool)
        return applied
    }

    private func checkNumbering() throws {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw MigrationError(
                description: "migrations must be numbered 1, 2, 3… without gaps: \(migration.name) is number "
                    + "\(migration.version) at place \(index + 1)")
        }
    }

    private func checkNoUnknownMigrations(_ pool: PostgresPool) async throws {
        let newest = migrations.last?.version ?? 0
        let unknown = try await pool.withConnection { connection in
            try await connection.query(
                "SELECT name FROM schema_migrations WHERE version > \(newest) ORDER BY version"
            ).map { try $0.decode(String.self, column: 0) }
        }
        if !unknown.isEmpty {
            throw MigrationError(
                description: "the database has migrations this program does not know (\(unknown.joined(separator: ", "))): "
                    + "it was migrated by a newer fieldsync")
        }
    }
}
