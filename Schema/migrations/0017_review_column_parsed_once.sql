-- The column `needs_review` (0016) parsed a station's document as jsonb three times, once for each
-- question, every time a station row was written: the projector writes hundreds of station rows a batch,
-- and those parses were most of the database's time writing them. It now parses the document once and
-- asks all three questions of it with one JSON path. The answer is the same for every document the fold
-- writes (`held`, `flags` and `results` are always arrays): reports held for review, a flag, or a result
-- disputed; for a row that is not a station's, false.
ALTER TABLE tallies DROP COLUMN needs_review;

ALTER TABLE tallies ADD COLUMN needs_review boolean GENERATED ALWAYS AS (
    kind = 'station' AND jsonb_path_exists(
        document::jsonb,
        '$ ? (@.held.size() > 0 || @.flags.size() > 0 || exists (@.results[*] ? (@.status == "disputed")))')
) STORED;

CREATE INDEX tallies_to_review ON tallies (key) WHERE needs_review;
