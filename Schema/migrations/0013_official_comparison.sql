-- The city's field reports against the official Form-45s, kept by the projector as one more tally row
-- (kind 'official', key 'city'), written with the batch that changes it: GET /v1/official serves it
-- instead of reading every station's document per request. The seats' sums written before this
-- version lack the reports it is made from; the projector finds them unreadable and folds the log
-- again once, up to its checkpoint, writing the row.
ALTER TABLE tallies DROP CONSTRAINT tallies_kind_check;
ALTER TABLE tallies ADD CONSTRAINT tallies_kind_check
    CHECK (kind IN ('station', 'constituency', 'district', 'city', 'official'));
