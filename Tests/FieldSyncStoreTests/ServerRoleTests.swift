import FieldSyncTestSupport
import Foundation
import Testing

@testable import FieldSyncStore

/// The server's database role on a cluster started by the launcher, exactly as `fieldsync serve` starts
/// it: it appends and reads events and keeps what the server keeps, and every way to change the log or
/// its guards is refused by PostgreSQL, each with its own SQLSTATE.
@Suite struct ServerRoleTests {
    /// Insufficient privilege.
    static let permissionDenied = "42501"
    /// The append-only triggers (migration 0001).
    static let appendOnly = "FS001"
    /// The guard on those triggers (`Deploy/postgresql-events-guard.sql`).
    static let guardRefusal = "FS002"

    /// What the server's role must never do, each run in a transaction that is rolled back.
    static let forbidden: [String] = [
        "UPDATE events SET type = 'changed'",
        "UPDATE events SET payload = '{}'::jsonb WHERE position = 1",
        "DELETE FROM events",
        "TRUNCATE events",
        "ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "ALTER TABLE events ENABLE REPLICA TRIGGER events_refuse_truncate",
        "ALTER TABLE events OWNER TO fieldsync_server",
        "ALTER TABLE events ADD COLUMN note text",
        "DROP TRIGGER events_refuse_truncate ON events",
        "DROP TABLE events",
        "CREATE TRIGGER events_forget BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change()",
        "CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$",
        "LOCK TABLE events IN ACCESS EXCLUSIVE MODE",
        "SET session_replication_role = replica",
        "CREATE ROLE intruder LOGIN SUPERUSER",
        "ALTER ROLE fieldsync_server SUPERUSER",
        "GRANT fieldsync_owner TO fieldsync_server",
        "SET ROLE fieldsync_owner",
        "UPDATE event_conflicts SET reason = 'forgotten'",
        "DELETE FROM event_conflicts",
        "TRUNCATE event_conflicts",
        "UPDATE tree_nodes SET hash = hash",
        "DELETE FROM tree_nodes",
        "TRUNCATE tree_heads",
        "DELETE FROM tree_heads",
        "UPDATE witnesses SET name = 'someone else'",
        "DELETE FROM witnesses",
        "DELETE FROM tree_cosignatures",
        "UPDATE split_views SET first_document = '{}'",
        "TRUNCATE split_views",
        "UPDATE device_credentials SET token_hash = token_hash, revoked_at = NULL",
        "DELETE FROM device_credentials",
        "UPDATE enrollment_codes SET expires_at = now() + interval '1 year'",
        "DELETE FROM enrollment_codes",
        "DELETE FROM schema_migrations",
        "CREATE TABLE shadow_events (LIKE events)",
        "CREATE TEMPORARY TABLE scratch (x int)",
        "SELECT * FROM constituency_tallies",
        "COPY events TO PROGRAM 'true'",
        "DROP EVENT TRIGGER fieldsync_guard_events_triggers",
    ]

    @Test func theServerRoleAppendsAndReadsButCannotChangeTheLogOrItsGuards() async throws {
        try await Self.withDatabase { database in
            #expect(database.configuration.user == DatabaseRole.server.name)
            // What the server does: append through the normal path (COPY), record a conflict, read back.
            var device = RecordFactory()
            let first = device.next()
            let appended = try await database.events.append([first, device.next()])
            #expect(appended.outcomes == [.appended(position: 1), .appended(position: 2)])
            let rival = RecordFactory.make(deviceID: device.deviceID, sequence: 2, previousHash: first.hash)
            #expect(try await database.events.append([rival]).outcomes.first?.position == nil)
            #expect(try await database.events.conflicts(device: device.deviceID).count == 1)
            #expect(try await database.events.events(after: 0).map(\.position) == [1, 2])

            let connection = try await PostgresConnection.connect(database.configuration)
            for statement in Self.forbidden {
                try await connection.execute("BEGIN")
                let error = await #expect(throws: PostgresError.self, "allowed: \(statement)") {
                    try await connection.execute(SQL(unsafeSQL: statement))
                }
                #expect(error?.sqlState == Self.permissionDenied, "\(statement): \(String(describing: error))")
                try await connection.execute("ROLLBACK")
            }
            await connection.close()

            #expect(try await database.events.head() == appended.head)
            #expect(try await Self.triggerStates(database) == ["A", "A"])
        }
    }

    @Test func theServerRoleHasNoRightsBeyondItsGrantsAndOwnsNothing() async throws {
        try await Self.withDatabase { database in
            let connection = try await PostgresConnection.connect(database.configuration)
            let role = try await connection.query(
                """
                SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
                FROM pg_roles WHERE rolname = current_user
                """
            ).first!
            #expect(try (0..<5).map { try role.decode(Bool.self, column: $0) } == [false, false, false, false, false])
            let owned = try await connection.query(
                """
                SELECT (SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole)
                     + (SELECT count(*) FROM pg_proc WHERE proowner = current_user::regrole)
                     + (SELECT count(*) FROM pg_type WHERE typowner = current_user::regrole)
                     + (SELECT count(*) FROM pg_namespace WHERE nspowner = current_user::regrole)
                     + (SELECT count(*) FROM pg_database WHERE datdba = current_user::regrole)
                     + (SELECT count(*) FROM pg_auth_members WHERE member = current_user::regrole)
                """
            ).first!.decode(Int.self, column: 0)
            #expect(owned == 0, "the server's role owns objects or belongs to roles")
            // UPDATE and REFERENCES may also be granted column by column.
            for privilege in ["UPDATE", "REFERENCES"] {
                let held = try await connection.query("SELECT has_any_column_privilege('events', \(privilege))")
                #expect(try !held.first!.decode(Bool.self, column: 0), "the server's role holds \(privilege) on events")
            }
            for privilege in ["UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"] {
                let held = try await connection.query("SELECT has_table_privilege('events', \(privilege))")
                #expect(try !held.first!.decode(Bool.self, column: 0), "the server's role holds \(privilege) on events")
            }
            await connection.close()
        }
    }

    /// A migration that adds a table must grant the server's role what the server does with it (the
    /// rule of the least-privilege migration): one that forgets is caught here, before any request needs the table.
    @Test func everyTableGrantsTheServerRoleSomething() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .owner)
        let forgotten = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT relname FROM pg_class
                WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
                  AND NOT has_table_privilege(\(DatabaseRole.server.name)::name, oid, 'SELECT, INSERT, UPDATE, DELETE')
                  AND NOT has_any_column_privilege(\(DatabaseRole.server.name)::name, oid, 'SELECT, INSERT, UPDATE')
                ORDER BY relname
                """
            ).map { try $0.decode(String.self, column: 0) }
        }
        #expect(forgotten == [], "tables the server's role cannot use: grant them in their migration")
        await pool.close()
    }

    /// The owner role, which migrates, cannot switch the append-only triggers off either, nor go around
    /// them: the guard refuses for every role, and only a superuser could disable the guard.
    @Test func theGuardKeepsTheTriggersOnForTheOwnerToo() async throws {
        try await Self.withDatabase { database in
            var device = RecordFactory()
            _ = try await database.events.append([device.next()])
            let owner = try #require(await database.cluster?.login(.owner))
            let connection = try await PostgresConnection.connect(owner)
            let refusals: [(String, String)] = [
                ("ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete", Self.guardRefusal),
                ("ALTER TABLE events DISABLE TRIGGER ALL", Self.guardRefusal),
                ("ALTER TABLE events ENABLE REPLICA TRIGGER events_refuse_truncate", Self.guardRefusal),
                ("DROP TRIGGER events_refuse_truncate ON events", Self.guardRefusal),
                ("DROP TABLE events", Self.guardRefusal),
                ("ALTER TABLE events RENAME TO events_before", Self.guardRefusal),
                ("ALTER TABLE events DROP COLUMN station", Self.guardRefusal),
                // A rewrite changes every stored row without an UPDATE, so without the triggers.
                ("ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING '{}'::jsonb", Self.guardRefusal),
                (
                    "CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql "
                        + "AS $$BEGIN RETURN NEW; END$$", Self.guardRefusal
                ),
                (
                    "CREATE OR REPLACE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events "
                        + "FOR EACH ROW EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()",
                    Self.guardRefusal
                ),
                ("UPDATE events SET type = 'changed'", Self.appendOnly),
                ("TRUNCATE events", Self.appendOnly),
                ("ALTER EVENT TRIGGER fieldsync_guard_events_triggers DISABLE", Self.permissionDenied),
                ("DELETE FROM fieldsync_guard.trigger_baseline", Self.permissionDenied),
                (
                    "CREATE OR REPLACE FUNCTION fieldsync_guard.events_drop() RETURNS event_trigger LANGUAGE plpgsql "
                        + "AS $$BEGIN END$$", Self.permissionDenied
                ),
            ]
            for (statement, sqlState) in refusals {
                let error = await #expect(throws: PostgresError.self, "allowed to the owner: \(statement)") {
                    try await connection.execute(SQL(unsafeSQL: statement))
                }
                #expect(error?.sqlState == sqlState, "\(statement): \(String(describing: error))")
            }
            // What migrations do to the table stays possible.
            try await connection.execute("BEGIN")
            try await connection.execute("ALTER TABLE events ADD COLUMN note text")
            try await connection.execute("ROLLBACK")
            await connection.close()
            #expect(try await database.events.head().position == 1)
            #expect(try await Self.triggerStates(database) == ["A", "A"])
        }
    }

    /// A data folder made by the previous version, whose cluster had only its superuser, which owned
    /// everything: the next start makes the roles, hands the database to the owner, migrates as the
    /// owner, and the server connects as its own role, with every event still there.
    @Test func aFolderFromBeforeTheRolesIsHandedToThem() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-roles-upgrade")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let earlier = EmbeddedPostgres(options: .init(dataDirectory: folder))
        let superuser = try await earlier.start()
        let before = try await Self.makeEarlierVersionDatabase(superuser)
        await earlier.stop()
        for role in [DatabaseRole.owner, .server] {
            try FileManager.default.removeItem(atPath: folder + "/" + EmbeddedPostgres.passwordFileName(of: role.name)!)
        }

        let database = try await FieldSyncDatabase.open(.embedded(dataDirectory: folder))
        do {
            #expect(database.configuration.user == DatabaseRole.server.name)
            #expect(try await database.events.head() == before)
            let connection = try await PostgresConnection.connect(try #require(await database.cluster?.configuration))
            let notOwned = try await connection.query(
                """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'S')
                  AND pg_get_userbyid(c.relowner) <> \(DatabaseRole.owner.name)
                UNION ALL
                SELECT p.proname FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace AND pg_get_userbyid(p.proowner) <> \(DatabaseRole.owner.name)
                UNION ALL
                SELECT datname FROM pg_database
                WHERE datname = current_database() AND pg_get_userbyid(datdba) <> \(DatabaseRole.owner.name)
                """
            ).map { try $0.decode(String.self, column: 0) }
            #expect(notOwned == [], "still owned by another role")
            let latest = try await connection.query("SELECT max(version) FROM schema_migrations").first!
            #expect(try latest.decode(Int.self, column: 0) == Migration.all.count)
            await connection.close()
            for role in [DatabaseRole.owner, .server] {
                let path = folder + "/" + EmbeddedPostgres.passwordFileName(of: role.name)!
                let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(path)")
            }

            var device = RecordFactory()
            #expect(
                try await database.events.append([device.next()]).outcomes == [.appended(position: before.position + 1)]
            )
            let server = try await PostgresConnection.connect(database.configuration)
            let error = await #expect(throws: PostgresError.self) {
                try await server.execute("ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete")
            }
            #expect(error?.sqlState == Self.permissionDenied)
            await server.close()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    /// On a server of your own, `fieldsync serve` connects as the server's role, which may not migrate:
    /// a database that was not migrated by the owner is refused with what to do, and left untouched.
    @Test func aDatabaseNotYetMigratedSaysToMigrateAsTheOwner() async throws {
        let database = try await TestCluster.shared.makeDatabase().database
        let server = try await TestCluster.shared.configuration(as: .server, database: database)
        let url = "postgresql://\(server.user):\(server.password!)@\(server.host):\(server.port)/\(database)"
        let error = await #expect(throws: MigrationError.self) { try await FieldSyncDatabase.open(.url(url)) }
        #expect(error?.description.contains("fieldsync migrate") == true, "\(String(describing: error))")
        #expect(error?.description.contains(server.password!) == false)

        let owner = PostgresPool(
            configuration: try await TestCluster.shared.configuration(as: .owner, database: database))
        #expect(try await Migrator().pending(owner) == Migration.all)
        #expect(try await Migrator().migrate(owner) == Migration.all)
        await owner.close()
        let opened = try await FieldSyncDatabase.open(.url(url))
        #expect(try await opened.events.head() == .empty)
        await opened.close()
    }

    // MARK: - Support

    /// `body` with a database opened as `fieldsync serve` opens it, on a cluster of its own in a new folder.
    private static func withDatabase(_ body: (FieldSyncDatabase) async throws -> Void) async throws {
        let folder = try makeTemporaryDirectory("fieldsync-roles")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try await FieldSyncDatabase.open(.embedded(dataDirectory: folder))
        do {
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    /// How the two append-only triggers fire (`A`: always), in name order.
    private static func triggerStates(_ database: FieldSyncDatabase) async throws -> [String] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT tgenabled::text FROM pg_trigger
                WHERE tgrelid = 'events'::regclass AND tgname LIKE 'events_refuse_%' ORDER BY tgname
                """
            ).map { try $0.decode(String.self, column: 0) }
        }
    }

    /// Makes the cluster's database what the previous version left: the migrations before the least-privilege one applied by
    /// the superuser, which owns the database and everything in it, events in the log, and no roles but
    /// the superuser and the readers' (nor the guard, which came with the roles). Returns the log's head.
    private static func makeEarlierVersionDatabase(_ superuser: PostgresConfiguration) async throws -> ChainHead {
        let pool = PostgresPool(configuration: superuser, maximumConnections: 2)
        let roles = try #require(Migration.all.firstIndex { $0.name.hasSuffix("_least_privilege.sql") })
        let earlier = Array(Migration.all[..<roles])
        try await Migrator(migrations: earlier).migrate(pool)
        // Today's append path also writes the Merkle tree, which that version did not have: a table for it to
        // write to, dropped below with what it wrote.
        _ = try await pool.withConnection {
            try await $0.execute("CREATE TABLE tree_nodes (level smallint, index bigint, hash bytea)")
        }
        var device = RecordFactory()
        let head = try await EventStore(pool: pool).append([device.next(), device.next(), device.next()]).head
        try await pool.withConnection { connection in
            try await connection.executeScript(
                """
                DROP TABLE tree_nodes;
                ALTER DATABASE \(unsafeRaw: superuser.database) OWNER TO \(unsafeRaw: superuser.user);
                DROP EVENT TRIGGER fieldsync_guard_events_triggers;
                DROP EVENT TRIGGER fieldsync_guard_events_drop;
                DROP SCHEMA fieldsync_guard CASCADE;
                DROP ROLE fieldsync_owner, fieldsync_server;
                """)
            let remaining = try await connection.query(
                "SELECT count(*) FROM pg_roles WHERE rolname IN ('fieldsync_owner', 'fieldsync_server')"
            ).first!.decode(Int.self, column: 0)
            #expect(remaining == 0)
        }
        await pool.close()
        return head
    }
}
