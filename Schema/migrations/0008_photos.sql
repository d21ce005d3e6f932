-- Photos of the signed sheets (Form-45), content-addressed by SHA-256, and uploads under way.
--
-- The bytes live in the database, beside the events that name them, so that a backup of the
-- database (pg_basebackup with WAL, or pg_dump) holds the photos with the log, and a restore brings
-- both back together: no second store to back up, nothing to keep in step.
--
-- photos.sha256      the SHA-256 of the bytes, the photo's only name; the database checks it
-- photos.media_type  image/jpeg or image/png, as the bytes' first bytes say
-- photos.size        the number of bytes (at most 8 MiB, the protocol's limit)
-- photos.bytes       the photo
-- photos.stored_at   when its last byte arrived
--
-- photo_parts        the bytes of an upload not yet whole, one row per piece received, from `start`
--                    on; the pieces of one photo are contiguous from 0. When the last byte arrives the
--                    pieces become one row of photos (if the hash holds) and are removed.
CREATE TABLE photos (
    sha256     bytea       PRIMARY KEY CHECK (length(sha256) = 32),
    media_type text        NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
    size       bigint      NOT NULL CHECK (size BETWEEN 1 AND 8388608),
    bytes      bytea       NOT NULL,
    stored_at  timestamptz NOT NULL,
    CHECK (length(bytes) = size),
    CHECK (sha256(bytes) = sha256)
);
-- Photos do not compress: do not try.
ALTER TABLE photos ALTER COLUMN bytes SET STORAGE EXTERNAL;

COMMENT ON TABLE photos IS 'Photos of signed sheets by SHA-256, stored once, never replaced: UPDATE, DELETE and TRUNCATE are refused.';

CREATE FUNCTION photos_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'photos are never replaced or removed: % on photos is refused', TG_OP
        USING ERRCODE = 'FS001';
END
$$;

CREATE TRIGGER photos_refuse_update_delete
    BEFORE UPDATE OR DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION photos_refuse_change();
CREATE TRIGGER photos_refuse_truncate
    BEFORE TRUNCATE ON photos
    FOR EACH STATEMENT EXECUTE FUNCTION photos_refuse_change();
ALTER TABLE photos ENABLE ALWAYS TRIGGER photos_refuse_update_delete;
ALTER TABLE photos ENABLE ALWAYS TRIGGER photos_refuse_truncate;

CREATE TABLE photo_parts (
    sha256      bytea       NOT NULL CHECK (length(sha256) = 32),
    start       bigint      NOT NULL CHECK (start >= 0),
    media_type  text        NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
    size        bigint      NOT NULL CHECK (size BETWEEN 1 AND 8388608),
    bytes       bytea       NOT NULL CHECK (length(bytes) >= 1),
    received_at timestamptz NOT NULL,
    PRIMARY KEY (sha256, start),
    CHECK (start + length(bytes) <= size)
);
ALTER TABLE photo_parts ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- Which stored events name a photo: a result's own, or a correction's replacement's.
CREATE INDEX events_by_photo ON events ((coalesce(payload ->> 'photoSha256', payload #>> '{replacement,data,photoSha256}')))
    WHERE type IN ('fieldsync.result.reported.v1', 'fieldsync.report.corrected.v1');

-- The server stores a photo once and reads it; it never changes or removes one. It adds the pieces of
-- an upload, reads them, and removes them once the photo is whole or found wrong.
GRANT SELECT, INSERT ON photos TO fieldsync_server;
GRANT SELECT, INSERT, DELETE ON photo_parts TO fieldsync_server;
