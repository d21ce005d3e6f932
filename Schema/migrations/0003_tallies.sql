-- The tally tables the projector keeps, and documented views of them for read-only users.
--
-- tallies: one row per tally document, as the fold renders it (canonical JSON, see PROTOCOL.md §Tallies)
--   kind              station | constituency | district | city
--   key               the station code, constituency code, district name, or 'city'
--   document          the tally (jsonb)
--   updated_position  the log position of the batch that last changed it: readers that remember the
--                     highest position they saw ask for `updated_position > n` to get what changed since
CREATE TABLE tallies (
    kind             text   NOT NULL CHECK (kind IN ('station', 'constituency', 'district', 'city')),
    key              text   NOT NULL,
    document         jsonb  NOT NULL,
    updated_position bigint NOT NULL,
    PRIMARY KEY (kind, key)
);

CREATE INDEX tallies_by_update ON tallies (updated_position);

COMMENT ON TABLE tallies IS 'Tally documents kept by the projector; a pure function of the events up to the checkpoint.';

-- A rebuild writes here first, then replaces the contents of `tallies` in one transaction, so readers
-- see the old tallies or the new ones, never a half-built state. Unlogged: it is scratch space.
CREATE UNLOGGED TABLE tallies_rebuild (LIKE tallies INCLUDING ALL);

-- Where each projector stands: every event at or below `position` is folded into the tallies.
CREATE TABLE projector_checkpoints (
    projector  text        PRIMARY KEY,
    position   bigint      NOT NULL CHECK (position >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Views for people with psql. Each column comes from the tally document; the full document is there too.

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
FROM tallies WHERE kind = 'station';

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
FROM tallies t, jsonb_array_elements(t.document->'results') AS r
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
FROM tallies WHERE kind = 'constituency';

COMMENT ON VIEW constituency_tallies IS 'One row per NA or PS seat: counted votes, lead and margin, stations by status, turnout (basis points: 4823 = 48.23%).';

CREATE VIEW candidate_votes AS
SELECT
    t.key                            AS constituency,
    c->>'candidate'                  AS candidate,
    c->>'name'                       AS name,
    c->>'party'                      AS party,
    (c->>'votes')::integer           AS votes,
    t.updated_position
FROM tallies t, jsonb_array_elements(t.document->'candidates') AS c
WHERE t.kind = 'constituency';

COMMENT ON VIEW candidate_votes IS 'Counted votes per candidate and seat (disputed stations excluded, see constituency_tallies.document->disputed).';

CREATE VIEW area_tallies AS
SELECT kind AS area, key, document, updated_position FROM tallies WHERE kind IN ('district', 'city');

COMMENT ON VIEW area_tallies IS 'District and city roll-ups: seats led per party, turnout, stations reported.';

-- A role for people who only read tallies with psql. Made only when this database user may make roles
-- (always, for the embedded cluster); grant it to a login role: GRANT fieldsync_reader TO alice;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldsync_reader')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
        BEGIN
            CREATE ROLE fieldsync_reader NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database of this cluster made it at the same moment
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldsync_reader') THEN
        GRANT SELECT ON station_tallies, station_results, constituency_tallies, candidate_votes, area_tallies
            TO fieldsync_reader;
    END IF;
END
$$;
