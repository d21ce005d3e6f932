-- A reporter's enrollment code names the stations and seats the device will cover: when the code is
-- used, the server appends the device's fieldsync.device.assigned.v1 with its enrollment, in the same
-- transaction. Empty arrays for other roles, and for codes made before this migration.
ALTER TABLE enrollment_codes
    ADD COLUMN stations       text[] NOT NULL DEFAULT '{}',
    ADD COLUMN constituencies text[] NOT NULL DEFAULT '{}';
