-- The roles of a FieldSync database on a separately managed PostgreSQL server (15 or later). ROLES.md
-- says who uses which. Run once as a superuser, from this folder, before the service's first start:
--
--     psql -v owner_password="'…'" -v server_password="'…'" -v reader_password="'…'" -f postgresql-roles.sql
--
-- fieldsync_owner    owns the database and everything in it, and applies the migrations
--                    (`fieldsync migrate`, run by fieldsync-migrate.service before each start). Nothing
--                    else connects as it; its URL lives only in /etc/fieldsync/owner-environment.
-- fieldsync_server   the service (`fieldsync serve`, `admin`, `project`, `simulate`): appends and reads
--                    events, keeps the tallies, marks codes used and devices revoked — exactly the grants
--                    of the least-privilege migration. It owns nothing, so it can neither alter a table
--                    nor switch the append-only triggers off, and it cannot UPDATE, DELETE or TRUNCATE
--                    events.
-- fieldsync_reader   editors' and analysts' SQL: SELECT on the tally views only (granted by the
--                    migration that makes them, which is why this role must exist first). It cannot
--                    read devices, tokens or enrollment codes, and cannot write anything.
-- newsroom           an example login for an editor's psql, a member of fieldsync_reader.
--
-- None of them is a superuser or may make roles, databases or replication connections. The guard in
-- postgresql-events-guard.sql (included at the end) keeps the append-only triggers on for every role,
-- the owner's included.

CREATE ROLE fieldsync_owner LOGIN PASSWORD :owner_password
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 4;
CREATE ROLE fieldsync_server LOGIN PASSWORD :server_password
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 40;
CREATE DATABASE fieldsync OWNER fieldsync_owner ENCODING 'UTF8' TEMPLATE template0;

CREATE ROLE fieldsync_reader NOLOGIN;
CREATE ROLE newsroom LOGIN PASSWORD :reader_password IN ROLE fieldsync_reader CONNECTION LIMIT 10;

-- Connecting is granted, role by role; no one else may connect or make temporary tables.
REVOKE ALL ON DATABASE fieldsync FROM PUBLIC;
GRANT CONNECT ON DATABASE fieldsync TO fieldsync_server, fieldsync_reader;
-- Readers' queries must not hold the service back: bound their time.
ALTER ROLE fieldsync_reader SET statement_timeout = '30s';
ALTER ROLE newsroom SET statement_timeout = '30s';
ALTER ROLE newsroom SET default_transaction_read_only = on;

-- In the new database: only the owner makes objects, and the guard on the append-only triggers.
\connect fieldsync
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\ir postgresql-events-guard.sql
