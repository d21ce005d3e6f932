-- Witnesses, their cosignatures of tree heads, and proofs of split views (PROTOCOL.md §17.7).
--
-- witnesses          the witnesses' keys an admin registered (`fieldsync admin witness add`), by name. The
--                    server takes cosignatures from these keys only. A registration trusts nothing: readers
--                    count the cosignatures of keys they chose themselves.
-- tree_cosignatures  every valid cosignature of a kept tree head, one per head and witness, as the witness
--                    sent it in canonical JSON, served as stored with the head.
-- split_views        two heads of one size with different roots, both signed by the server key: proof that
--                    the log was shown in two versions. Each pair is kept once, its roots in byte order.
CREATE TABLE witnesses (
    public_key bytea       PRIMARY KEY CHECK (length(public_key) = 32),
    name       text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    added_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tree_cosignatures (
    size        bigint      NOT NULL REFERENCES tree_heads (size),
    witness     bytea       NOT NULL REFERENCES witnesses (public_key),
    document    text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (size, witness)
);

CREATE TABLE split_views (
    size            bigint      NOT NULL CHECK (size >= 0),
    first_root      bytea       NOT NULL CHECK (length(first_root) = 32),
    second_root     bytea       NOT NULL CHECK (length(second_root) = 32),
    first_document  text        NOT NULL,
    second_document text        NOT NULL,
    found_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (size, first_root, second_root),
    CHECK (first_root < second_root)
);

COMMENT ON TABLE witnesses IS 'The registered witnesses, append-only: UPDATE, DELETE and TRUNCATE are refused.';
COMMENT ON TABLE tree_cosignatures IS 'Witnesses'' cosignatures of tree heads, append-only.';
COMMENT ON TABLE split_views IS 'Pairs of signed tree heads of one size with different roots, append-only.';

-- Evidence is never changed or removed, whatever the role (the trigger function of 0009).
CREATE TRIGGER witnesses_refuse_update_delete BEFORE UPDATE OR DELETE ON witnesses
    FOR EACH ROW EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER witnesses_refuse_truncate BEFORE TRUNCATE ON witnesses
    FOR EACH STATEMENT EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER tree_cosignatures_refuse_update_delete BEFORE UPDATE OR DELETE ON tree_cosignatures
    FOR EACH ROW EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER tree_cosignatures_refuse_truncate BEFORE TRUNCATE ON tree_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER split_views_refuse_update_delete BEFORE UPDATE OR DELETE ON split_views
    FOR EACH ROW EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER split_views_refuse_truncate BEFORE TRUNCATE ON split_views
    FOR EACH STATEMENT EXECUTE FUNCTION tree_refuse_change();
ALTER TABLE witnesses ENABLE ALWAYS TRIGGER witnesses_refuse_update_delete;
ALTER TABLE witnesses ENABLE ALWAYS TRIGGER witnesses_refuse_truncate;
ALTER TABLE tree_cosignatures ENABLE ALWAYS TRIGGER tree_cosignatures_refuse_update_delete;
ALTER TABLE tree_cosignatures ENABLE ALWAYS TRIGGER tree_cosignatures_refuse_truncate;
ALTER TABLE split_views ENABLE ALWAYS TRIGGER split_views_refuse_update_delete;
ALTER TABLE split_views ENABLE ALWAYS TRIGGER split_views_refuse_truncate;

-- The server (and `fieldsync admin`, which runs as its role) registers witnesses, keeps cosignatures and
-- split views, and reads them. Nothing else.
GRANT SELECT, INSERT ON witnesses TO fieldsync_server;
GRANT SELECT, INSERT ON tree_cosignatures TO fieldsync_server;
GRANT SELECT, INSERT ON split_views TO fieldsync_server;
