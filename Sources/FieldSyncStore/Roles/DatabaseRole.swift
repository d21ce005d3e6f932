/// The PostgreSQL roles of a FieldSync database, the same in the embedded cluster and on a server of
/// your own (`Deploy/postgresql-roles.sql`; `Deploy/ROLES.md` says who uses which).
///
/// The least-privilege migration (`Schema/migrations/…_least_privilege.sql`) grants the server role
/// exactly what the server does, and nothing more.
public enum DatabaseRole: String, Sendable, CaseIterable {
    /// Owns the database, its tables, views and functions, and applies the migrations. Nothing else
    /// connects as it.
    case owner = "fieldsync_owner"
    /// What `fieldsync serve`, `admin`, `project` and `simulate` connect as: reads and appends events,
    /// keeps the tallies, marks codes used and devices revoked. Owns nothing, so it can neither alter a
    /// table nor switch a trigger off.
    case server = "fieldsync_server"
    /// People who read the tally views with psql. It does not log in: grant it to their own roles.
    case reader = "fieldsync_reader"

    /// The role's name in PostgreSQL.
    public var name: String { rawValue }
}
