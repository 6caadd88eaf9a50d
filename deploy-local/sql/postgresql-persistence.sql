-- BeTrace grain storage on PostgreSQL (15 or later), for Microsoft.Orleans.Persistence.AdoNet 10.4.2 with the
-- "Npgsql" invariant.
--
-- Idempotent and safe to run from several silos at once: everything happens in one transaction that first takes
-- the BeTrace schema advisory lock (the same lock as postgresql-clustering.sql). Applied by the silo at start-up
-- (SchemaInstaller) and by deploy-local/apply-schema.sh.
-- Written for BeTrace from the provider's query contract; not derived from Orleans' own scripts.
--
-- Identifiers are unquoted (they fold to lower case): the provider's built-in lookup
-- "SELECT QueryKey, QueryText FROM OrleansQuery ..." is unquoted too.
--
-- Contract recap:
--   parameters  @GrainIdHash @GrainIdN0 @GrainIdN1 @GrainTypeHash @GrainTypeString @GrainIdExtensionString
--               @ServiceId, plus @GrainStateVersion (NULL = "no ETag") and @PayloadBinary for writes.
--   read        0 or 1 row: PayloadBinary, Version.
--   write       exactly 1 row NewGrainStateVersion = the new version on success; 0 rows = conflict.
--   clear       1 row (column 0) = the new version on success; 0 rows = conflict. The row is kept with a NULL
--               payload so that its version carries on.
--   delete      same as clear, but the row goes away; the value returned is old version + 1 (never the ETag).
-- Versions stay within int4 because the provider parses ETags with int.Parse: they wrap from 2147483647 to 1.

BEGIN;

-- No "already exists, skipping" notices on re-runs.
SET LOCAL client_min_messages = warning;

-- Serializes concurrent runs of both BeTrace scripts (two silos starting at once), until COMMIT.
SELECT pg_advisory_xact_lock(hashtext('betrace.orleans.schema'));

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

CREATE TABLE IF NOT EXISTS betrace_grain_state
(
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_id_hash   integer     NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    -- The whole key for string keys, the extension for compound keys, NULL otherwise.
    grain_id_ext    text        NULL,
    payload         bytea       NULL,
    version         integer     NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per grain state; two NULL extensions are the same key.
CREATE UNIQUE INDEX IF NOT EXISTS ux_betrace_grain_state
    ON betrace_grain_state (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, service_id, grain_type,
                            grain_id_ext) NULLS NOT DISTINCT;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $query$
SELECT payload AS PayloadBinary, version AS Version
FROM betrace_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
$query$),

-- One statement; at most one branch produces a row:
--   with an ETag: bump the row whose version still equals it (a concurrent writer holding the row lock makes the
--   re-check fail, so the loser gets 0 rows);
--   without one: insert version 1, unless the row already exists (then nothing: a conflict).
('WriteToStorageKey', $query$
WITH updated AS (
    UPDATE betrace_grain_state
    SET payload = @PayloadBinary,
        version = CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END,
        modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
      AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING version),
inserted AS (
    INSERT INTO betrace_grain_state
        (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_ext, payload,
         version)
    SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1,
           @GrainIdExtensionString, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT version FROM inserted
$query$),

('ClearStorageKey', $query$
UPDATE betrace_grain_state
SET payload = NULL,
    version = CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END,
    modified_at = now()
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version AS NewGrainStateVersion
$query$),

('DeleteStorageKey', $query$
DELETE FROM betrace_grain_state
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END AS NewGrainStateVersion
$query$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

COMMIT;
