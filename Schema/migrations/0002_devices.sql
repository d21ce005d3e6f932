-- Enrollment codes and device credentials: what the server needs besides the log to let devices in.
--
-- The log itself says which devices are enrolled and revoked (fieldsync.device.enrolled.v1 and
-- fieldsync.device.revoked.v1). These tables hold only what must stay secret or is not an event:
-- one-time codes and bearer tokens, both stored as SHA-256 hashes, never in the clear.

-- One-time enrollment codes made by `fieldsync admin enroll`.
--
-- code_hash    SHA-256 of the code in its normal form (upper case, no dashes)
-- role, name   what the device enrolled with it will be, and the person using it
-- expires_at   the code is refused from then on
-- used_at      when it was used (NULL while unused); a code is used once
-- used_by      the device enrolled with it
CREATE TABLE enrollment_codes (
    code_hash  bytea       PRIMARY KEY CHECK (length(code_hash) = 32),
    role       text        NOT NULL CHECK (role IN ('reporter', 'editor', 'auditor', 'admin')),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    used_by    text,
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);

-- Bearer tokens of enrolled devices, one per device.
--
-- token_prefix   the first 8 bytes of token_hash: the lookup key, so that the full hash is compared
--                in constant time by the server rather than by an index search
-- token_hash     SHA-256 of the token's 32 random bytes
-- device_id      the device, as in its fieldsync.device.enrolled.v1 event
-- enrolled_position  the position of that event
-- revoked_at     when the device was revoked (its fieldsync.device.revoked.v1 event); NULL while in use
CREATE TABLE device_credentials (
    device_id          text        PRIMARY KEY,
    token_prefix       bytea       NOT NULL UNIQUE CHECK (length(token_prefix) = 8),
    token_hash         bytea       NOT NULL CHECK (length(token_hash) = 32),
    role               text        NOT NULL CHECK (role IN ('reporter', 'editor', 'auditor', 'admin')),
    name               text        NOT NULL,
    enrolled_position  bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    revoked_at         timestamptz,
    revoked_position   bigint
);
