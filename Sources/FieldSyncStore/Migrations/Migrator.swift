import Logging

/// Applies the numbered migrations in order, each once, each in its own transaction, and records
/// each with its checksum in `schema_migrations`.
///
/// An applied migration whose file has since been edited is an error, as is a database that has
/// migrations this program does not know (it was migrated by a newer version). Concurrent migrators
/// (two servers starting at once) take turns on an advisory lock.
///
/// Migrations run as the owner role (``DatabaseRole/owner``). A database that is already current needs
/// no statement but reads, so the server's role, which may not change the schema, passes through
/// ``migrate(_:)`` unharmed; if something is pending, it is told to have the owner migrate.
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
        let pending = try await pending(pool)
        if pending.isEmpty { return [] }
        do {
            return try await apply(pool)
        } catch let error as PostgresError where error.sqlState == Self.insufficientPrivilege {
            throw MigrationError(
                description: "the database needs \(pending.map(\.name).joined(separator: ", ")), which its role "
                    + "\(pool.configuration.user) may not apply (\(error.message)): run `fieldsync migrate` with the "
                    + "owner's database URL first")
        }
    }

    /// The migrations the database lacks, in order, after checking that those it has are this program's
    /// and unchanged. Only reads.
    public func pending(_ pool: PostgresPool) async throws -> [Migration] {
        let recorded: [(version: Int, name: String, checksum: String)]
        do {
            recorded = try await pool.withConnection { connection in
                let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
                guard try exists.first!.decode(Bool.self, column: 0) else { return [] }
                let rows = try await connection.query(
                    "SELECT version, name, checksum FROM schema_migrations ORDER BY version")
                return try rows.map { row in
                    let version = try row.decode(Int.self, column: 0)
                    return (version, try row.decode(String.self, column: 1), try row.decode(String.self, column: 2))
                }
            }
        } catch let error as PostgresError where error.sqlState == Self.insufficientPrivilege {
            throw MigrationError(
                description: "the database role \(pool.configuration.user) may not read schema_migrations "
                    + "(\(error.message)): the database was not migrated for it; run `fieldsync migrate` with the "
                    + "owner's database URL first")
        }
        let newest = migrations.last?.version ?? 0
        try Self.checkNoneUnknown(recorded.filter { $0.version > newest }.map(\.name))
        let applied = Dictionary(uniqueKeysWithValues: recorded.map { ($0.version, $0.checksum) })
        for migration in migrations {
            if let checksum = applied[migration.version] { try Self.check(checksum, of: migration) }
        }
        return migrations.filter { applied[$0.version] == nil }
    }

    /// SQLSTATE 42501: the role lacks a privilege.
    static let insufficientPrivilege = "42501"

    private func apply(_ pool: PostgresPool) async throws -> [Migration] {
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
                    try Self.check(try row.decode(String.self, column: 1), of: migration)
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
        try Self.checkNoneUnknown(unknown)
    }

    private static func checkNoneUnknown(_ unknown: [String]) throws {
        if !unknown.isEmpty {
            throw MigrationError(
                description:
                    "the database has migrations this program does not know (\(unknown.joined(separator: ", "))): "
                    + "it was migrated by a newer fieldsync")
        }
    }

    private static func check(_ recordedChecksum: String, of migration: Migration) throws {
        guard recordedChecksum == migration.checksum else {
            throw MigrationError(
                description: "migration \(migration.name) was edited after it was applied "
                    + "(recorded checksum \(recordedChecksum.prefix(12))…, file \(migration.checksum.prefix(12))…): "
                    + "never edit an applied migration, add a new one")
        }
    }
}
