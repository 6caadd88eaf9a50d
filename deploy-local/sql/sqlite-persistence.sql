-- BeTrace grain storage on SQLite (embedded single-silo mode), for Microsoft.Orleans.Persistence.AdoNet 10.4.2
-- with the "System.Data.SQLite" invariant (which Orleans resolves to Microsoft.Data.Sqlite).
--
-- Idempotent: the silo applies it at every start-up (SchemaInstaller, inside one transaction).
-- Written for BeTrace from the provider's query contract; not derived from Orleans' own scripts.
--
-- Contract recap (what the provider sends and expects):
--   parameters  @GrainIdHash @GrainIdN0 @GrainIdN1 @GrainTypeHash @GrainTypeString @GrainIdExtensionString
--               @ServiceId, plus @GrainStateVersion (NULL = "no ETag") and @PayloadBinary for writes.
--               SQLite binds names case-sensitively: keep the exact spelling.
--   read        0 or 1 row: PayloadBinary, Version.
--   write       exactly 1 row NewGrainStateVersion = the new version on success; 0 rows = conflict.
--   clear       1 row (column 0) = the new version on success; 0 rows = conflict. The row is kept with a NULL
--               payload so that its version carries on.
--   delete      same as clear, but the row goes away; the value returned is old version + 1 (never the ETag).
-- Versions stay within Int32 because the provider parses ETags with int.Parse: they wrap from 2147483647 to 1.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS betrace_grain_state
(
    service_id      TEXT    NOT NULL,
    grain_type      TEXT    NOT NULL,
    grain_type_hash INTEGER NOT NULL,
    grain_id_hash   INTEGER NOT NULL,
    grain_id_n0     INTEGER NOT NULL,
    grain_id_n1     INTEGER NOT NULL,
    -- The whole key for string keys, the extension for compound keys, NULL otherwise.
    grain_id_ext    TEXT    NULL,
    payload         BLOB    NULL,
    version         INTEGER NOT NULL,
    modified_utc    TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row per grain state. NULL and '' extensions are different keys, hence the two expressions.
CREATE UNIQUE INDEX IF NOT EXISTS ux_betrace_grain_state
    ON betrace_grain_state (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, service_id, grain_type,
                            grain_id_ext IS NULL, ifnull(grain_id_ext, ''));

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey',
'SELECT payload AS PayloadBinary, version AS Version
FROM betrace_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS @GrainIdExtensionString;'),

-- Two statements, exactly one of which can produce a row:
--   with an ETag: bump the row whose version still equals it;
--   without one: insert version 1, unless the row already exists (then nothing: a conflict).
('WriteToStorageKey',
'UPDATE betrace_grain_state
SET payload = @PayloadBinary,
    version = CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END,
    modified_utc = CURRENT_TIMESTAMP
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS @GrainIdExtensionString
RETURNING version AS NewGrainStateVersion;
INSERT INTO betrace_grain_state
    (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
       @PayloadBinary, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS NewGrainStateVersion;'),

('ClearStorageKey',
'UPDATE betrace_grain_state
SET payload = NULL,
    version = CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END,
    modified_utc = CURRENT_TIMESTAMP
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS @GrainIdExtensionString
RETURNING version AS NewGrainStateVersion;'),

('DeleteStorageKey',
'DELETE FROM betrace_grain_state
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_ext IS @GrainIdExtensionString
RETURNING CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END AS NewGrainStateVersion;');
