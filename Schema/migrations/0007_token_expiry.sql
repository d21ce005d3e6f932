-- Tokens that expire and are rotated, and who made each enrollment code.
--
-- enrollment_codes.token_lifetime_seconds  how long the token of the device enrolled with the code
--                                          lives (`fieldsync admin enroll --expires`); NULL: the
--                                          server's default for the kind of device, which for most is
--                                          "never expires" (see `fieldsync serve --browser-sign-in-expires`)
-- enrollment_codes.issued_by               who made the code: an admin device's id over the API, or
--                                          the operating-system user of `fieldsync admin enroll`
-- device_credentials.token_lifetime_seconds  the lifetime given to each token of the device, at
--                                          enrollment and at every rotation; NULL: never expires
-- device_credentials.expires_at            when the current token stops working; NULL: never
-- device_credentials.rotated_at            when the current token replaced the one before
--                                          (`POST /v1/token`); NULL while it is the first
ALTER TABLE enrollment_codes
    ADD COLUMN token_lifetime_seconds bigint CHECK (token_lifetime_seconds > 0),
    ADD COLUMN issued_by text NOT NULL DEFAULT '';

ALTER TABLE device_credentials
    ADD COLUMN token_lifetime_seconds bigint CHECK (token_lifetime_seconds > 0),
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN rotated_at timestamptz,
    ADD CONSTRAINT device_credentials_expiry CHECK ((expires_at IS NULL) = (token_lifetime_seconds IS NULL));

-- `POST /v1/token` replaces a device's token in place. The server's role may not write token hashes
-- itself: it could then give a revoked device a working token again. This function, which runs as
-- the owner, replaces the token of one device only when given the hash of its current token, and only
-- while the device is neither revoked nor expired; the new token lives the device's token lifetime,
-- from now. It returns one row (when the new token expires, NULL for never) when it replaced the
-- token, none when it did not.
CREATE FUNCTION rotate_device_token(device text, current_hash bytea, new_prefix bytea, new_hash bytea)
RETURNS TABLE (token_expires timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    UPDATE public.device_credentials
    SET token_prefix = $3, token_hash = $4, rotated_at = now(),
        expires_at = now() + make_interval(secs => token_lifetime_seconds)
    WHERE device_id = $1 AND token_hash = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    RETURNING expires_at
$$;
REVOKE ALL ON FUNCTION rotate_device_token(text, bytea, bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rotate_device_token(text, bytea, bytea, bytea) TO fieldsync_server;
