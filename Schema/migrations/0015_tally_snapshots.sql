-- Snapshots of the projector's fold at regular positions, so that a tally as of a past position or
-- time folds only the events after the nearest snapshot (DESIGN.md decision 13, PROTOCOL.md §Tallies).
--
-- A snapshot is the seats' sums (seat_sums, the roll-up inputs) as of a checkpoint; the stations' state
-- needs no copy, because a station's facts are its events, already versioned by position in `events`
-- (a fold continuing from a snapshot at position S reads a station's events up to S). The sums are
-- versioned too: a snapshot stores only the seats whose sums changed since the snapshot before it, and
-- a seat's sums at S are its row with the greatest position at or before S.

-- tally_snapshots: one row per snapshot, written in the transaction of the checkpoint it is at.
--   position            the projector's checkpoint
--   latest_observed_at  the latest observation time (`time`) of the events up to `position` that a tally
--                       as of a time cuts by their time (all but assignments and reviews); null when none.
--                       A tally as of a time T may continue from a snapshot whose latest_observed_at <= T.
CREATE TABLE tally_snapshots (
    position           bigint      PRIMARY KEY CHECK (position >= 0),
    latest_observed_at timestamptz
);

COMMENT ON TABLE tally_snapshots IS 'The positions where the seats'' sums were kept, for tallies as of a past moment.';

-- tally_snapshot_sums: a seat's sums (as in seat_sums) at the first snapshot after they changed.
CREATE TABLE tally_snapshot_sums (
    constituency text   NOT NULL,
    position     bigint NOT NULL REFERENCES tally_snapshots (position) ON DELETE CASCADE,
    sums         jsonb  NOT NULL,
    PRIMARY KEY (constituency, position)
);

COMMENT ON TABLE tally_snapshot_sums IS 'A seat''s sums at the snapshots where they had changed since the one before.';

REVOKE ALL ON tally_snapshots, tally_snapshot_sums FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON tally_snapshots, tally_snapshot_sums TO fieldsync_server;
