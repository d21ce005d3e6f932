-- The projector's state in the database, so that a start or a failure resumes from the checkpoint by
-- reading state instead of folding the whole log again (DESIGN.md decision 13, PROTOCOL.md §Tallies).
--
-- A station's facts are its events: the indexes below find them, and the few answers a fold needs
-- about the log, without holding every event in memory. Every read is bounded by the checkpoint, so
-- the facts and the sums below are those of one and the same set of events.

-- A station's reviews and official Form-45s name it in their payload (its observations name it in
-- `station`, indexed by events_by_station).
CREATE INDEX events_by_payload_station ON events ((payload ->> 'station'), position)
    WHERE type IN ('fieldsync.report.reviewed.v1', 'fieldsync.official.published.v1');

-- The corrections naming an event: when it arrives after them, they are judged again.
CREATE INDEX events_by_corrected ON events ((payload ->> 'corrects'))
    WHERE type = 'fieldsync.report.corrected.v1';

-- seat_sums: each seat's running sums of its stations' contributions, as the fold writes them
-- (canonical JSON), in the same transaction as the tally rows and the checkpoint.
--   constituency  the seat code
--   sums          the fold's sums (jsonb)
--   updated_position  the position of the batch that last changed them
CREATE TABLE seat_sums (
    constituency     text   PRIMARY KEY,
    sums             jsonb  NOT NULL,
    updated_position bigint NOT NULL
);

COMMENT ON TABLE seat_sums IS 'Each seat''s sums of its stations'' contributions, as of the projector''s checkpoint.';

REVOKE ALL ON seat_sums FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON seat_sums TO fieldsync_server;
GRANT UPDATE (sums, updated_position) ON seat_sums TO fieldsync_server;
