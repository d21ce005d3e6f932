-- A guard on the append-only triggers of the events table, for every role, the table's owner included.
--
-- The triggers of migration 0001 refuse UPDATE, DELETE and TRUNCATE on events. The server's role cannot
-- touch them (it owns nothing), but the owner role that runs the migrations could switch them off with
-- ALTER TABLE events DISABLE TRIGGER …, drop them, or drop the table. These event triggers refuse that
-- for everyone: a later migration's mistake, or someone who got hold of the owner's password, fails
-- with SQLSTATE FS002 and changes nothing.
--
-- Only a superuser can make event triggers: the embedded cluster installs this in its database each
-- time it starts; on a server of your own, postgresql-roles.sql includes it. Running it again is harmless.
--
-- A superuser who truly must switch a trigger off (a repair, with the auditors told) disables the guard
-- first, in the open: ALTER EVENT TRIGGER fieldsync_guard_events_triggers DISABLE; … and ENABLE again.

-- In a schema of the superuser's own, which the owner role cannot change or drop; with a fixed search
-- path, so that nothing a session defines can stand in for the catalog's functions and operators.
CREATE SCHEMA IF NOT EXISTS fieldsync_guard;
REVOKE ALL ON SCHEMA fieldsync_guard FROM PUBLIC;

-- After any DDL: every append-only trigger still fires (enabled, or enabled always), never disabled
-- (tgenabled 'D') or moved to replicas only ('R').
CREATE OR REPLACE FUNCTION fieldsync_guard.events_triggers() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    switched record;
BEGIN
    SELECT tgname, tgrelid::regclass AS on_table INTO switched
    FROM pg_trigger
    WHERE tgname IN ('events_refuse_update_delete', 'events_refuse_truncate') AND tgenabled NOT IN ('O', 'A')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the append-only trigger % on % must stay enabled: refused', switched.tgname, switched.on_table
            USING ERRCODE = 'FS002',
                  HINT = 'Events are immutable; correct a report with a new event.';
    END IF;
END
$$;

-- On DROP: neither the triggers nor the table that carries them (dropping the table drops them too).
CREATE OR REPLACE FUNCTION fieldsync_guard.events_drop() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dropped record;
BEGIN
    SELECT object_identity INTO dropped
    FROM pg_event_trigger_dropped_objects()
    WHERE object_type = 'trigger' AND address_names[3] IN ('events_refuse_update_delete', 'events_refuse_truncate')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the append-only trigger % cannot be dropped: refused', dropped.object_identity
            USING ERRCODE = 'FS002',
                  HINT = 'Events are immutable; the events table and its triggers stay.';
    END IF;
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'fieldsync_guard_events_triggers') THEN
        CREATE EVENT TRIGGER fieldsync_guard_events_triggers ON ddl_command_end
            EXECUTE FUNCTION fieldsync_guard.events_triggers();
    END IF;
    IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'fieldsync_guard_events_drop') THEN
        CREATE EVENT TRIGGER fieldsync_guard_events_drop ON sql_drop
            EXECUTE FUNCTION fieldsync_guard.events_drop();
    END IF;
END
$$;
