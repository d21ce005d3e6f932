-- Incidents name photos too (PROTOCOL.md §9.2, §16): the server finds the stored events that name a
-- photo among results, corrections' replacements and incidents. The index of 0008 covered the first
-- two only; this one, on the same expression, covers all three and replaces it.
CREATE INDEX events_by_photo_named ON events ((coalesce(payload ->> 'photoSha256', payload #>> '{replacement,data,photoSha256}')))
    WHERE type IN ('fieldsync.result.reported.v1', 'fieldsync.report.corrected.v1', 'fieldsync.incident.observed.v1');

DROP INDEX events_by_photo;
