-- A station's summary is kept once for each of its seats (PROTOCOL.md §Tallies, "Station summary"): a
-- seat's answer (`GET /v1/tallies/{constituency}`) carries each station's result for that seat only, not
-- its other seat's figures too.
--
-- tallies.kind 'station-summary' is now keyed by the seat's code and the station's, `NA-248/NA-248-017`,
-- so that a seat's summaries are read by their keys. The summaries kept so far are keyed by the station's
-- code alone and carry both seats' results; the projector cannot write the new ones without the stations'
-- documents, so, as when the documents became canonical text, the tallies are emptied with the projector's
-- checkpoint and state, and the projector folds the log again when the server next starts.

DELETE FROM tallies;
DELETE FROM seat_sums;
DELETE FROM projector_checkpoints WHERE projector = 'tallies';
