-- A guard on the append-only triggers of the events table, for every role, the table's owner included.
--
-- The triggers of migration 0001 refuse UPDATE, DELETE and TRUNCATE on events. The server's role cannot
-- touch them (it owns nothing), but the owner role that runs the migrations could: switch them off,
-- drop them, point them at another function or rewrite theirs, or change stored rows without an UPDATE
-- (ALTER COLUMN … TYPE … USING rewrites every row; DROP COLUMN removes one's values). These event
-- triggers refuse all of that, for everyone: a later migration's mistake, or someone who got hold of the
-- owner's password, fails with SQLSTATE FS002 and changes nothing. (Nothing stops a superuser; the
-- auditors' offline verification is the last word.)
--
-- Only a superuser can make event triggers: the embedded cluster installs this in its database each
-- time it starts; on a server of your own, postgresql-roles.sql includes it. Running it again is harmless.
--
-- A superuser who truly must change the triggers or their function (a repair, with the auditors told)
-- disables the guard first, in the open, and makes it forget what it recorded afterwards:
--   ALTER EVENT TRIGGER fieldsync_guard_events_triggers DISABLE;  … ;  ALTER EVENT TRIGGER … ENABLE;
--   DELETE FROM fieldsync_guard.trigger_baseline;

-- In a schema of the superuser's own, which the owner role cannot change or drop; with a fixed search
-- path, so that nothing a connection defines can stand in for the catalog's functions and operators.
CREATE SCHEMA IF NOT EXISTS fieldsync_guard;
REVOKE ALL ON SCHEMA fieldsync_guard FROM PUBLIC;

-- What each append-only trigger calls, as first seen: the function and a hash of its source.
CREATE TABLE IF NOT EXISTS fieldsync_guard.trigger_baseline (
    trigger_name    text PRIMARY KEY,
    function_name   text NOT NULL,
    function_md5    text NOT NULL
);

-- The append-only triggers as they are: how they fire, their table, the function they call (by name,
-- schema and all) and a hash of its source. With a fixed search path, so that names read the same from
-- everywhere.
CREATE OR REPLACE FUNCTION fieldsync_guard.append_only_triggers()
RETURNS TABLE (trigger_name text, enabled "char", schema_name text, table_name text, function_name text,
               function_md5 text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT t.tgname, t.tgenabled, n.nspname, c.relname, t.tgfoid::regprocedure::text, md5(p.prosrc)
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE t.tgname IN ('events_refuse_update_delete', 'events_refuse_truncate')
$$;
REVOKE ALL ON FUNCTION fieldsync_guard.append_only_triggers() FROM PUBLIC;

-- After any DDL: each append-only trigger still fires (enabled, or enabled always: never disabled, 'D',
-- or for replicas only, 'R'), is still on public.events, and calls the function it called when first seen,
-- unchanged. Security definer, to record that first sight in the superuser's table.
CREATE OR REPLACE FUNCTION fieldsync_guard.events_triggers() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    trigger_now record;
    seen fieldsync_guard.trigger_baseline%ROWTYPE;
BEGIN
    FOR trigger_now IN SELECT * FROM fieldsync_guard.append_only_triggers() LOOP
        IF trigger_now.enabled NOT IN ('O', 'A') THEN
            RAISE EXCEPTION 'the append-only trigger % must stay enabled: refused', trigger_now.trigger_name
                USING ERRCODE = 'FS002', HINT = 'Events are immutable; correct a report with a new event.';
        END IF;
        IF (trigger_now.schema_name, trigger_now.table_name) <> ('public', 'events') THEN
            RAISE EXCEPTION 'the events table cannot be renamed or moved (now %.%): refused',
                trigger_now.schema_name, trigger_now.table_name
                USING ERRCODE = 'FS002';
        END IF;
        SELECT * INTO seen FROM fieldsync_guard.trigger_baseline WHERE trigger_name = trigger_now.trigger_name;
        IF NOT FOUND THEN
            INSERT INTO fieldsync_guard.trigger_baseline
            VALUES (trigger_now.trigger_name, trigger_now.function_name, trigger_now.function_md5);
        ELSIF (seen.function_name, seen.function_md5) <> (trigger_now.function_name, trigger_now.function_md5) THEN
            RAISE EXCEPTION 'the append-only trigger % must keep calling % unchanged: refused',
                trigger_now.trigger_name, seen.function_name
                USING ERRCODE = 'FS002';
        END IF;
    END LOOP;
END
$$;

-- On DROP: not the triggers, nor the table that carries them (dropping the table drops them too), nor
-- any column of the table (that removes stored values).
CREATE OR REPLACE FUNCTION fieldsync_guard.events_drop() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dropped record;
BEGIN
    SELECT object_type, object_identity INTO dropped
    FROM pg_event_trigger_dropped_objects()
    WHERE (object_type = 'trigger' AND address_names[3] IN ('events_refuse_update_delete', 'events_refuse_truncate'))
       OR (object_type = 'table column' AND address_names[1] = 'public' AND address_names[2] = 'events')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the % % cannot be dropped: refused', dropped.object_type, dropped.object_identity
            USING ERRCODE = 'FS002', HINT = 'Events are immutable; the events table, its columns and triggers stay.';
    END IF;
END
$$;

-- Before ALTER TABLE rewrites the events table (a column's type changed with USING, say): stored rows
-- would change without any UPDATE, so without the triggers.
CREATE OR REPLACE FUNCTION fieldsync_guard.events_rewrite() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_event_trigger_table_rewrite_oid() = to_regclass('public.events') THEN
        RAISE EXCEPTION 'the events table cannot be rewritten: refused'
            USING ERRCODE = 'FS002', HINT = 'Add columns without a volatile default; never change stored ones.';
    END IF;
END
$$;

-- What exists already is what is first seen.
INSERT INTO fieldsync_guard.trigger_baseline
SELECT trigger_name, function_name, function_md5 FROM fieldsync_guard.append_only_triggers()
ON CONFLICT (trigger_name) DO NOTHING;

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
    IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'fieldsync_guard_events_rewrite') THEN
        CREATE EVENT TRIGGER fieldsync_guard_events_rewrite ON table_rewrite
            EXECUTE FUNCTION fieldsync_guard.events_rewrite();
    END IF;
END
$$;
