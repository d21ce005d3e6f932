import Foundation

extension EmbeddedPostgres {
    /// The login of `role` on the cluster's database once it has started: the owner's, which applies
    /// the migrations, and the server's, which the server connects as for everything else. `nil` before
    /// ``start()``, and for ``DatabaseRole/reader``, which does not log in.
    public func login(_ role: DatabaseRole) -> PostgresConfiguration? {
        logins[role]
    }

    /// The password that the data folder keeps for the cluster's role `user` (its superuser, the owner,
    /// the server), if there is one.
    public static func storedPassword(of user: String, in dataDirectory: String) -> String? {
        guard let name = passwordFileName(of: user) else { return nil }
        return readSecret(dataDirectory + "/" + name)
    }

    static func passwordFileName(of user: String) -> String? {
        switch user {
        case superuser: "postgres-password"
        case DatabaseRole.owner.name: "postgres-owner-password"
        case DatabaseRole.server.name: "postgres-server-password"
        default: nil
        }
    }

    static func readSecret(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let secret = text.trimmingWhitespace()
        return secret.isEmpty ? nil : secret
    }

    /// Makes sure of the application's roles and hands the database to its owner, as the superuser:
    /// - the owner and server login roles exist, with the passwords kept in the data folder (made on
    ///   first use) and no rights beyond logging in; the server role is nobody's member;
    /// - `fieldsync_reader` exists, for the tally views' grants;
    /// - the database and everything in its schema `public` belong to the owner (a folder made by an
    ///   earlier version has them owned by the superuser);
    /// - the guard on the events table's triggers is installed.
    ///
    /// Run at every start: it repairs whatever drifted, and costs a few statements.
    func prepareRoles(superuser: PostgresConfiguration) async throws {
        var passwords: [DatabaseRole: String] = [:]
        for role in [DatabaseRole.owner, .server] {
            let path = options.dataDirectory + "/" + Self.passwordFileName(of: role.name)!
            if let stored = Self.readSecret(path) {
                passwords[role] = stored
            } else {
                let made = Base64URLRandom.make(byteCount: 24)
                try writeSecret(made, to: path, owner: folderOwner())
                passwords[role] = made
            }
        }
        let connection = try await PostgresConnection.connect(superuser)
        do {
            try await connection.execute("BEGIN")
            // The passwords travel as bind parameters, never in a statement's text.
            try await connection.query(
                """
                SELECT set_config('fieldsync.owner_password', \(passwords[.owner]!), true),
                       set_config('fieldsync.server_password', \(passwords[.server]!), true)
                """)
            try await connection.executeScript(SQL(unsafeSQL: Self.loginRoles))
            try await connection.executeScript(SQL(unsafeSQL: Self.ownershipToOwner))
            try await connection.executeScript(SQL(unsafeSQL: Self.eventsGuard))
            try await connection.execute("COMMIT")
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
        for role in [DatabaseRole.owner, .server] {
            logins[role] = PostgresConfiguration(
                host: superuser.host, port: superuser.port, user: role.name, password: passwords[role],
                database: superuser.database)
        }
    }

    /// The owner and server login roles, made or put right; the reader's role, made if missing.
    private static let loginRoles = """
        DO $$
        DECLARE
            login record;
            membership record;
        BEGIN
            FOR login IN
                SELECT * FROM (VALUES
                    ('\(DatabaseRole.owner.name)', current_setting('fieldsync.owner_password')),
                    ('\(DatabaseRole.server.name)', current_setting('fieldsync.server_password'))
                ) AS l(name, password)
            LOOP
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = login.name) THEN
                    EXECUTE format('CREATE ROLE %I', login.name);
                END IF;
                EXECUTE format(
                    'ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
                    login.name, login.password);
            END LOOP;
            FOR membership IN
                SELECT roleid::regrole AS role FROM pg_auth_members WHERE member = '\(DatabaseRole.server.name)'::regrole
            LOOP
                EXECUTE format('REVOKE %s FROM \(DatabaseRole.server.name)', membership.role);
            END LOOP;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(DatabaseRole.reader.name)') THEN
                CREATE ROLE \(DatabaseRole.reader.name) NOLOGIN;
            END IF;
        END
        $$;
        """

    /// The database and every table, view, sequence and function of its schema `public` handed to the
    /// owner. (`REASSIGN OWNED BY` cannot be used: the superuser also owns the system's objects.)
    /// Sequences that belong to a column follow their table.
    private static let ownershipToOwner = """
        DO $$
        DECLARE
            item record;
        BEGIN
            IF (SELECT datdba FROM pg_database WHERE datname = current_database()) <> '\(DatabaseRole.owner.name)'::regrole THEN
                EXECUTE format('ALTER DATABASE %I OWNER TO \(DatabaseRole.owner.name)', current_database());
            END IF;
            FOR item IN
                SELECT format('ALTER %s %s OWNER TO \(DatabaseRole.owner.name)',
                              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                             WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                              c.oid::regclass) AS statement
                FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                  AND c.relowner <> '\(DatabaseRole.owner.name)'::regrole
                  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                  AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
                UNION ALL
                SELECT format('ALTER ROUTINE %s OWNER TO \(DatabaseRole.owner.name)', p.oid::regprocedure)
                FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '\(DatabaseRole.owner.name)'::regrole
            LOOP
                EXECUTE item.statement;
            END LOOP;
        END
        $$;
        """

    /// `Deploy/postgresql-events-guard.sql`, embedded at build time.
    private static let eventsGuard: String = {
        guard let file = EmbeddedFiles.all.first(where: { $0.name == "postgresql-events-guard.sql" }) else {
            preconditionFailure("the build did not embed Deploy/postgresql-events-guard.sql")
        }
        return file.contents
    }()
}
