-- The roles of a FieldSync database on a separately managed PostgreSQL server (15 or later).
-- Run once as a superuser, before the service's first start:
--
--     psql -v service_password="'…'" -v reader_password="'…'" -f postgresql-roles.sql
--
-- fieldsync          the service: owns the database and its tables, applies the migrations, appends.
--                    No superuser, no CREATEDB, no CREATEROLE, no replication: a compromised service
--                    cannot reach other databases, make roles, or turn off the append-only triggers
--                    of another owner's tables. (It owns `events`, so its owner could disable the
--                    triggers: that is why the auditors' export and offline verify exist.)
-- fieldsync_reader   editors' and analysts' SQL: SELECT on the tally views only (granted by the
--                    migration that makes them, which is why this role must exist first). It cannot
--                    read devices, tokens or enrollment codes, and cannot write anything.
-- newsroom           an example login for an editor's psql, a member of fieldsync_reader.

CREATE ROLE fieldsync LOGIN PASSWORD :service_password
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 40;
CREATE DATABASE fieldsync OWNER fieldsync ENCODING 'UTF8' TEMPLATE template0;

CREATE ROLE fieldsync_reader NOLOGIN;
CREATE ROLE newsroom LOGIN PASSWORD :reader_password IN ROLE fieldsync_reader CONNECTION LIMIT 10;

REVOKE ALL ON DATABASE fieldsync FROM PUBLIC;
GRANT CONNECT ON DATABASE fieldsync TO fieldsync_reader;
-- Readers' queries must not hold the service back: bound their time.
ALTER ROLE fieldsync_reader SET statement_timeout = '30s';
ALTER ROLE newsroom SET statement_timeout = '30s';
ALTER ROLE newsroom SET default_transaction_read_only = on;
