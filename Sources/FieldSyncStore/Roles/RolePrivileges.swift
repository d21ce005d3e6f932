/// What a connection's role may do to the event log beyond appending and reading it.
enum RolePrivileges {
    /// Whether the pool's role could alter the events table, and so switch its append-only triggers
    /// off: a superuser, the table's owner, or a member of the owner. The server's role can do neither.
    static func canAlterEvents(_ pool: PostgresPool) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE')
                FROM pg_roles r, pg_class c
                WHERE r.rolname = current_user AND c.oid = to_regclass('events')
                """
            ).first?.decode(Bool.self, column: 0) ?? false
        }
    }
}
