-- Least privilege: the server connects as fieldsync_server, which appends and reads events and keeps
-- the tallies, but owns nothing, so it can neither alter a table nor switch a trigger off, and it
-- cannot change or remove an event even with the triggers' help gone.
--
-- The roles (Deploy/ROLES.md tells an operator the whole story):
--   the owner          the role that runs the migrations (fieldsync_owner, in the embedded cluster and
--                      with Deploy/postgresql-roles.sql alike): owns the database, its tables, views and
--                      functions. Nothing else connects as it.
--   fieldsync_server   `fieldsync serve`, `admin`, `project` and `simulate`: exactly the grants below.
--   fieldsync_reader   people with psql: SELECT on the tally views (0003), nothing else.
--
-- The rule for every later migration: there are no default privileges. A migration that adds a table
-- grants fieldsync_server, in the same file, exactly what the server does with it (column lists for
-- UPDATE), and a migration that makes the server touch a table in a new way grants that too. A
-- forgotten grant then fails loudly, with SQLSTATE 42501 (permission denied) in the tests, which run
-- the server as fieldsync_server, instead of quietly giving the server more than it needs.
--
-- fieldsync_server must exist before this runs: the embedded cluster makes it when it starts; on a
-- server of your own, Deploy/postgresql-roles.sql does.

DO $$
DECLARE
    server pg_roles%ROWTYPE;
BEGIN
    SELECT * INTO server FROM pg_roles WHERE rolname = 'fieldsync_server';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the role fieldsync_server, which the server connects as, does not exist'
            USING ERRCODE = 'undefined_object',
                  HINT = 'Create it first (Deploy/postgresql-roles.sql), then migrate again.';
    END IF;
    IF server.rolsuper OR server.rolcreaterole OR server.rolcreatedb OR server.rolreplication
       OR server.rolbypassrls THEN
        RAISE EXCEPTION 'the role fieldsync_server may do more than the server needs (%)',
            'SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'ALTER ROLE fieldsync_server NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;';
    END IF;
    IF pg_has_role('fieldsync_server', (SELECT relowner FROM pg_class WHERE oid = 'events'::regclass), 'USAGE') THEN
        RAISE EXCEPTION 'the role fieldsync_server is, or acts as, the owner of the events table'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Migrate as the owner role and connect the server as fieldsync_server, a role of its own.';
    END IF;
END
$$;

-- The database: connect, nothing more (no temporary tables); the schema: no new objects but the owner's.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO fieldsync_server', current_database());
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'fieldsync_reader') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO fieldsync_reader', current_database());
    END IF;
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
    IF has_schema_privilege('fieldsync_server', 'public', 'CREATE') THEN
        RAISE EXCEPTION 'fieldsync_server may create objects in the schema public'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'As a superuser: REVOKE CREATE ON SCHEMA public FROM PUBLIC, fieldsync_server;';
    END IF;
END
$$;

-- Start from nothing, so that whatever was granted by hand before is gone.
REVOKE ALL ON events, event_conflicts, enrollment_codes, device_credentials, tallies, projector_checkpoints,
    schema_migrations FROM fieldsync_server;

-- The log: appended with COPY (INSERT), read by every reader. Never UPDATE, DELETE, TRUNCATE, REFERENCES
-- or TRIGGER.
GRANT SELECT, INSERT ON events TO fieldsync_server;
-- Refused events, kept for the record: added and counted, never changed.
GRANT SELECT, INSERT ON event_conflicts TO fieldsync_server;
-- `admin enroll` adds a code; `POST /v1/enroll` marks it used.
GRANT SELECT, INSERT ON enrollment_codes TO fieldsync_server;
GRANT UPDATE (used_at, used_by) ON enrollment_codes TO fieldsync_server;
-- A device's token is stored at enrollment and marked revoked by `admin revoke`.
GRANT SELECT, INSERT ON device_credentials TO fieldsync_server;
GRANT UPDATE (revoked_at, revoked_position) ON device_credentials TO fieldsync_server;
-- The projector: rows upserted and removed; a rebuild locks the table (LOCK … IN EXCLUSIVE MODE needs
-- DELETE), deletes every row and copies the new ones in.
GRANT SELECT, INSERT, DELETE ON tallies TO fieldsync_server;
GRANT UPDATE (document, updated_position) ON tallies TO fieldsync_server;
GRANT SELECT, INSERT ON projector_checkpoints TO fieldsync_server;
GRANT UPDATE (position, updated_at) ON projector_checkpoints TO fieldsync_server;
-- The server checks that the database is migrated, and never migrates it.
GRANT SELECT ON schema_migrations TO fieldsync_server;
