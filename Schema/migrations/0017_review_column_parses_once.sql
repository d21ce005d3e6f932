-- A station document is written with one parse of its text, and stored compressed with LZ4.
--
-- tallies.needs_review was computed from `document::jsonb` written three times over, and PostgreSQL
-- parsed the text once for each: a station's document grows with its history, so a rebuild writing
-- every station spent most of its write parsing the same JSON three times, and each live batch paid the
-- same for every station it changed. The column now calls a function that parses the document once;
-- which stations need review is unchanged: a station with reports held for review, a flag, or a
-- disputed result.
--
-- The documents are stored with LZ4, where PostgreSQL was built with it, instead of the default (pglz),
-- which is several times slower to compress a large document and hardly smaller on JSON (29 MB against
-- 32 MB for 5,342 generated station documents of 30 kB). Rows written before keep their compression until
-- they are written again.

DROP INDEX tallies_to_review;
ALTER TABLE tallies DROP COLUMN needs_review;

CREATE FUNCTION tally_needs_review(kind text, document text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    parsed jsonb;
BEGIN
    IF kind <> 'station' THEN
        RETURN false;
    END IF;
    parsed := document::jsonb;
    RETURN jsonb_array_length(parsed -> 'held') > 0
        OR jsonb_array_length(parsed -> 'flags') > 0
        OR (parsed -> 'results') @> '[{"status": "disputed"}]';
END
$$;

-- A PostgreSQL built without LZ4 keeps its default.
DO $$
BEGIN
    ALTER TABLE tallies ALTER COLUMN document SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no LZ4: tally documents keep the default compression';
END
$$;

ALTER TABLE tallies ADD COLUMN needs_review boolean GENERATED ALWAYS AS (tally_needs_review(kind, document)) STORED;

CREATE INDEX tallies_to_review ON tallies (key) WHERE needs_review;

COMMENT ON COLUMN tallies.needs_review IS
    'A station with reports held for review, a flag, or a disputed result (tally_needs_review, from the document).';
