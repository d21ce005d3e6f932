-- The event store: every event ever accepted, append-only, in one global order.
--
-- position     the global position: 1, 2, 3, … with no gaps, in commit order (see append lock below)
-- event_id     the id the device gave the event (UUID); unique
-- device_id    the device that made and signed it ("server" for the server's own events)
-- seq          the device's sequence number; (device_id, seq) is unique
-- type         the versioned event type, e.g. fieldsync.result.reported.v1
-- subject      what the event is about (station code, constituency code, candidate id, device id)
-- station      the polling station it concerns, when it concerns one
-- observed_time  the observed time exactly as signed (RFC 3339 with its offset)
-- observed_at  the same instant, for queries
-- received_at  when the server stored it
-- payload      the event's data (jsonb)
-- event_hash   SHA-256 of the event's canonical form (see PROTOCOL.md)
-- prev_hash    the hash of the device's previous event (32 zero bytes for seq 1)
-- signature    the device's Ed25519 signature of event_hash
-- chain_hash   the global chain link at this position (see PROTOCOL.md)
CREATE TABLE events (
    position      bigint      PRIMARY KEY CHECK (position >= 1),
    event_id      uuid        NOT NULL UNIQUE,
    device_id     text        NOT NULL,
    seq           bigint      NOT NULL CHECK (seq >= 1),
    type          text        NOT NULL,
    subject       text        NOT NULL,
    station       text,
    observed_time text        NOT NULL,
    observed_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    payload       jsonb       NOT NULL,
    event_hash    bytea       NOT NULL CHECK (length(event_hash) = 32),
    prev_hash     bytea       NOT NULL CHECK (length(prev_hash) = 32),
    signature     bytea       NOT NULL,
    chain_hash    bytea       NOT NULL CHECK (length(chain_hash) = 32),
    UNIQUE (device_id, seq)
);

CREATE INDEX events_by_station ON events (station, position) WHERE station IS NOT NULL;
CREATE INDEX events_by_type ON events (type, position);

COMMENT ON TABLE events IS 'Every accepted event, append-only: UPDATE, DELETE and TRUNCATE are refused.';

-- Events are immutable facts: the database itself refuses to change or remove them, whatever the role.
CREATE FUNCTION events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on events is refused', TG_OP
        USING ERRCODE = 'FS001',
              HINT = 'Correct a report with a new fieldsync.report.corrected.v1 event.';
END
$$;

CREATE TRIGGER events_refuse_update_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_refuse_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

-- Replicas apply changes with session_replication_role = replica, which skips ordinary triggers:
-- make these fire there too.
ALTER TABLE events ENABLE ALWAYS TRIGGER events_refuse_update_delete;
ALTER TABLE events ENABLE ALWAYS TRIGGER events_refuse_truncate;

-- Events refused because they conflict with what is stored: same id or same (device, seq) with other
-- content, or a previous hash that does not match the device's chain. Kept for the record, never merged.
CREATE TABLE event_conflicts (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at       timestamptz NOT NULL,
    reason            text        NOT NULL,
    existing_position bigint,
    event_id          uuid        NOT NULL,
    device_id         text        NOT NULL,
    seq               bigint      NOT NULL,
    type              text        NOT NULL,
    subject           text        NOT NULL,
    observed_time     text        NOT NULL,
    payload           jsonb       NOT NULL,
    event_hash        bytea       NOT NULL,
    prev_hash         bytea       NOT NULL,
    signature         bytea       NOT NULL
);

CREATE INDEX event_conflicts_by_device ON event_conflicts (device_id, seq);
