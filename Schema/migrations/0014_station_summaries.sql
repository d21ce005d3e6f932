-- A station's summary, its own row beside its document (PROTOCOL.md §Tallies): what a seat's document
-- (`GET /v1/tallies/{constituency}`) carries for each of its stations, instead of their whole history.
--
-- tallies.kind gains 'station-summary', keyed by the station's code like the station's own row and
-- written in the same transaction.
ALTER TABLE tallies DROP CONSTRAINT tallies_kind_check;
ALTER TABLE tallies ADD CONSTRAINT tallies_kind_check
    CHECK (kind IN ('station', 'station-summary', 'constituency', 'district', 'city', 'official'));

-- The tallies kept so far have no summaries: the projector folds the log again from the start, and
-- writes every row with its summary.
DELETE FROM tallies;
DELETE FROM seat_sums;
DELETE FROM projector_checkpoints;
