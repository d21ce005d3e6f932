-- tallies.needs_review is written by the projector beside each document, from the fold's own state,
-- instead of computed by PostgreSQL from the document's text.
--
-- Computing it parsed every station document written as jsonb (once since 0017): a station's document
-- grows with its history, and that parse was most of a rebuild's write (1.8 s of 3.5 s at 200,000
-- events) and a cost on every live batch. The fold knows the answer without parsing anything: a station
-- with a report held out of the tally, a flag, or a disputed result (StationTally.needsReview). Rows
-- written before keep the value computed for them, which is the same.

ALTER TABLE tallies ALTER COLUMN needs_review DROP EXPRESSION;
UPDATE tallies SET needs_review = false WHERE needs_review IS NULL;
ALTER TABLE tallies ALTER COLUMN needs_review SET DEFAULT false;
ALTER TABLE tallies ALTER COLUMN needs_review SET NOT NULL;

DROP FUNCTION tally_needs_review(text, text);

GRANT UPDATE (needs_review) ON tallies TO fieldsync_server;

COMMENT ON COLUMN tallies.needs_review IS
    'A station with reports held out of the tally, a flag, or a disputed result; written by the projector with the document.';
