-- The log's Merkle tree and the tree heads the server signed (PROTOCOL.md §17).
--
-- tree_nodes   every complete aligned subtree of two leaves or more of the RFC 9162 tree over the events
--              in position order, kept by the append path in the batch's own transaction: the subtree
--              at (level, index) covers the 2^level leaves from index · 2^level; its hash is
--              SHA-256(0x01 ‖ left ‖ right). The leaves (level 0) are not stored: leaf i is the event at
--              position i + 1, and its hash, SHA-256(0x00 ‖ chain_hash), is made from the event's row.
--              A subtree is stored once its last leaf is, and never changes; the tree of any size is
--              folded from O(log n) of them.
-- tree_heads   every tree head the server signed: its size (events covered), root, when it was signed,
--              and the signed head itself in canonical JSON, served as stored. One head per size: a
--              second root for a size would be a split view.
CREATE TABLE tree_nodes (
    level smallint NOT NULL CHECK (level >= 1 AND level < 63),
    index bigint   NOT NULL CHECK (index >= 0),
    hash  bytea    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, index)
);

CREATE TABLE tree_heads (
    size      bigint      PRIMARY KEY CHECK (size >= 0),
    root      bytea       NOT NULL CHECK (length(root) = 32),
    signed_at timestamptz NOT NULL,
    document  text        NOT NULL
);

COMMENT ON TABLE tree_nodes IS 'The Merkle tree over the events, append-only: UPDATE, DELETE and TRUNCATE are refused.';
COMMENT ON TABLE tree_heads IS 'Every signed tree head, append-only: UPDATE, DELETE and TRUNCATE are refused.';

-- Like the events, the tree and the heads only grow, whatever the role.
CREATE FUNCTION tree_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % on % is refused', TG_TABLE_NAME, TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'FS001',
              HINT = 'The tree follows the events, which are never changed.';
END
$$;

CREATE TRIGGER tree_nodes_refuse_update_delete BEFORE UPDATE OR DELETE ON tree_nodes
    FOR EACH ROW EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER tree_nodes_refuse_truncate BEFORE TRUNCATE ON tree_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER tree_heads_refuse_update_delete BEFORE UPDATE OR DELETE ON tree_heads
    FOR EACH ROW EXECUTE FUNCTION tree_refuse_change();
CREATE TRIGGER tree_heads_refuse_truncate BEFORE TRUNCATE ON tree_heads
    FOR EACH STATEMENT EXECUTE FUNCTION tree_refuse_change();
ALTER TABLE tree_nodes ENABLE ALWAYS TRIGGER tree_nodes_refuse_update_delete;
ALTER TABLE tree_nodes ENABLE ALWAYS TRIGGER tree_nodes_refuse_truncate;
ALTER TABLE tree_heads ENABLE ALWAYS TRIGGER tree_heads_refuse_update_delete;
ALTER TABLE tree_heads ENABLE ALWAYS TRIGGER tree_heads_refuse_truncate;

-- The tree of the events already stored: the nodes over two leaves, then each level from the one below,
-- until a level completes no subtree. The append path keeps it from here on.
INSERT INTO tree_nodes (level, index, hash)
SELECT 1, (l.position - 1) / 2,
    sha256('\x01'::bytea || sha256('\x00'::bytea || l.chain_hash) || sha256('\x00'::bytea || r.chain_hash))
FROM events l JOIN events r ON r.position = l.position + 1
WHERE l.position % 2 = 1;

DO $$
DECLARE
    below smallint := 1;
    added bigint;
BEGIN
    LOOP
        INSERT INTO tree_nodes (level, index, hash)
        SELECT below + 1, l.index / 2, sha256('\x01'::bytea || l.hash || r.hash)
        FROM tree_nodes l JOIN tree_nodes r ON r.level = below AND r.index = l.index + 1
        WHERE l.level = below AND l.index % 2 = 0;
        GET DIAGNOSTICS added = ROW_COUNT;
        EXIT WHEN added = 0;
        below := below + 1;
    END LOOP;
END
$$;

-- The server adds subtrees as it appends, and heads as it signs them; it reads both. Nothing else.
GRANT SELECT, INSERT ON tree_nodes TO fieldsync_server;
GRANT SELECT, INSERT ON tree_heads TO fieldsync_server;
