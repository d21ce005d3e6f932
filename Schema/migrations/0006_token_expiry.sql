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
