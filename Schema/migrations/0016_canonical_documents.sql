-- Tally documents are stored as the canonical bytes the API serves (PROTOCOL.md §Tallies, "Documents"),
-- so that a read sends the stored text unchanged instead of parsing jsonb and writing it again.
--
-- tallies.document becomes text: the fold's canonical JSON, byte for byte (the database is UTF-8). The
-- text of a jsonb value is not canonical (jsonb orders members by length and adds spaces), so the
-- documents stored so far cannot be converted here: they are emptied, with the projector's checkpoint and
-- state, and the projector folds the log again when the server next starts, as for a new database.
--
-- The one query that looks inside documents (the stations an editor should review) reads a column
-- PostgreSQL computes as each row is written, instead of the jsonb of every station at each read. The
-- views for people with psql read the text as jsonb when they are queried.

DROP VIEW station_tallies, station_results, constituency_tallies, candidate_votes, area_tallies;

DELETE FROM tallies;
DELETE FROM seat_sums;
DELETE FROM projector_checkpoints WHERE projector = 'tallies';

ALTER TABLE tallies ALTER COLUMN document TYPE text USING document::text;

-- needs_review: a station with reports held for review, a disputed result, or a flag.
ALTER TABLE tallies ADD COLUMN needs_review boolean GENERATED ALWAYS AS (
    kind = 'station' AND (
        jsonb_array_length(document::jsonb -> 'held') > 0
        OR jsonb_array_length(document::jsonb -> 'flags') > 0
        OR (document::jsonb -> 'results') @> '[{"status": "disputed"}]')
) STORED;

CREATE INDEX tallies_to_review ON tallies (key) WHERE needs_review;

COMMENT ON COLUMN tallies.document IS 'The tally in canonical JSON (RFC 8785), exactly the bytes the API serves.';

CREATE VIEW station_tallies AS
SELECT
    key                                                    AS station,
    document->>'name'                                      AS name,
    document->>'national'                                  AS national_seat,
    document->>'provincial'                                AS provincial_seat,
    (document->>'registeredVoters')::integer               AS registered_voters,
    (document->'turnout'->'latest'->>'votesCast')::integer AS latest_votes_cast,
    jsonb_array_length(document->'incidents')              AS incidents,
    jsonb_array_length(document->'flags')                  AS flags,
    updated_position,
    document
FROM (SELECT key, document::jsonb AS document, updated_position FROM tallies WHERE kind = 'station') AS t;

COMMENT ON VIEW station_tallies IS 'One row per polling station: turnout, incidents, flags; results per contest in document->results.';

CREATE VIEW station_results AS
SELECT
    t.key                                        AS station,
    r->>'constituency'                           AS constituency,
    r->>'status'                                 AS status,
    (r->>'devices')::integer                     AS reporting_devices,
    (r->'counted'->>'totalCast')::integer        AS total_cast,
    (r->'counted'->>'rejected')::integer         AS rejected,
    t.updated_position
FROM tallies t, jsonb_array_elements(t.document::jsonb->'results') AS r
WHERE t.kind = 'station';

COMMENT ON VIEW station_results IS 'One row per station and contest (NA or PS): unreported, reported, confirmed or disputed.';

CREATE VIEW constituency_tallies AS
SELECT
    key                                              AS constituency,
    document->>'name'                                AS name,
    document->>'district'                            AS district,
    document->>'assembly'                            AS assembly,
    (document->'stations'->>'total')::integer        AS stations_total,
    (document->'stations'->>'reported')::integer     AS stations_reported,
    (document->'stations'->>'confirmed')::integer    AS stations_confirmed,
    (document->'stations'->>'disputed')::integer     AS stations_disputed,
    (document->>'validVotes')::integer               AS valid_votes,
    (document->>'rejected')::integer                 AS rejected,
    (document->'turnout'->>'basisPoints')::integer   AS turnout_basis_points,
    document->'lead'->>'leader'                      AS leader,
    document->'lead'->>'runnerUp'                    AS runner_up,
    (document->'lead'->>'margin')::integer           AS margin,
    jsonb_array_length(document->'flags')            AS flags,
    updated_position,
    document
FROM (SELECT key, document::jsonb AS document, updated_position FROM tallies WHERE kind = 'constituency') AS t;

COMMENT ON VIEW constituency_tallies IS 'One row per NA or PS seat: counted votes, lead and margin, stations by status, turnout (basis points: 4823 = 48.23%).';

CREATE VIEW candidate_votes AS
SELECT
    t.key                            AS constituency,
    c->>'candidate'                  AS candidate,
    c->>'name'                       AS name,
    c->>'party'                      AS party,
    (c->>'votes')::integer           AS votes,
    t.updated_position
FROM tallies t, jsonb_array_elements(t.document::jsonb->'candidates') AS c
WHERE t.kind = 'constituency';

COMMENT ON VIEW candidate_votes IS 'Counted votes per candidate and seat (disputed stations excluded, see constituency_tallies.document->disputed).';

CREATE VIEW area_tallies AS
SELECT kind AS area, key, document::jsonb AS document, updated_position FROM tallies WHERE kind IN ('district', 'city');

COMMENT ON VIEW area_tallies IS 'District and city roll-ups: seats led per party, turnout, stations reported.';

-- The views are new: grant them again to the role for people who read tallies with psql, if it exists.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldsync_reader') THEN
        GRANT SELECT ON station_tallies, station_results, constituency_tallies, candidate_votes, area_tallies
            TO fieldsync_reader;
    END IF;
END
$$;
