-- BeTrace cluster membership on PostgreSQL (15 or later), for Microsoft.Orleans.Clustering.AdoNet 10.4.2 with the
-- "Npgsql" invariant. Silos and stand-alone gateways (Orleans clients) both read these query rows.
--
-- Idempotent and safe to run from several silos at once: everything happens in one transaction that first takes
-- the BeTrace schema advisory lock (the same lock as postgresql-persistence.sql). Applied by the silo at start-up
-- (SchemaInstaller) and by deploy-local/apply-schema.sh.
-- Written for BeTrace from the provider's query contract; not derived from Orleans' own scripts.
--
-- Identifiers are unquoted (they fold to lower case): the provider's built-in lookup
-- "SELECT QueryKey, QueryText FROM OrleansQuery" is unquoted too. Result columns are matched by name,
-- case-insensitively, so the aliases below may fold to lower case.
--
-- Contract recap:
--   @DeploymentId is ClusterOptions.ClusterId. Times arrive as UTC timestamptz, @Address as the IP text.
--   The table version is an etag: InsertMembershipKey/UpdateMembershipKey receive the version the silo READ and
--   must succeed only while it is still current, bumping it. They answer one row with one boolean column.
--   Membership reads always return the version row (LEFT JOIN), with NULL member columns when there is no member.
--   Status values: 3 = Active, 6 = Dead.

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

CREATE TABLE IF NOT EXISTS betrace_membership_version
(
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS betrace_membership
(
    deployment_id   text        NOT NULL
        REFERENCES betrace_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Creates the version row (version 0) of a deployment if it has none; true when it was created.
('InsertMembershipVersionKey', $query$
WITH created AS (
    INSERT INTO betrace_membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM created) AS Created
$query$),

-- The version row is updated first: its row lock serializes concurrent writers, and a writer that waited
-- re-checks the version and loses.
('InsertMembershipKey', $query$
WITH bumped AS (
    UPDATE betrace_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM betrace_membership
                      WHERE deployment_id = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
    RETURNING deployment_id),
inserted AS (
    INSERT INTO betrace_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, suspect_times,
         start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, NULL,
           @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM inserted) AS Inserted
$query$),

('UpdateMembershipKey', $query$
WITH bumped AS (
    UPDATE betrace_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND EXISTS (SELECT 1 FROM betrace_membership
                  WHERE deployment_id = @DeploymentId AND address = @Address
                    AND port = @Port AND generation = @Generation)
    RETURNING deployment_id),
updated AS (
    UPDATE betrace_membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM updated) AS Updated
$query$),

-- Heartbeat: no version change.
('UpdateIAmAlivetimeKey', $query$
UPDATE betrace_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$query$),

('MembershipReadRowKey', $query$
SELECT m.address AS Address, m.port AS Port, m.generation AS Generation, m.silo_name AS SiloName,
       m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
FROM betrace_membership_version AS v
LEFT JOIN betrace_membership AS m
       ON m.deployment_id = v.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$query$),

('MembershipReadAllKey', $query$
SELECT m.address AS Address, m.port AS Port, m.generation AS Generation, m.silo_name AS SiloName,
       m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
FROM betrace_membership_version AS v
LEFT JOIN betrace_membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
ORDER BY m.start_time, m.address, m.port, m.generation
$query$),

-- Gateways a client may connect to: members with the requested status (Active) that expose a gateway port.
('GatewaysQueryKey', $query$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM betrace_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$query$),

-- Removes a whole deployment: its version row, and its members through the cascade.
('DeleteMembershipTableEntriesKey', $query$
DELETE FROM betrace_membership_version WHERE deployment_id = @DeploymentId
$query$),

-- Removes members declared Dead whose last heartbeat is older than the cut-off.
('CleanupDefunctSiloEntriesKey', $query$
DELETE FROM betrace_membership
WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
$query$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

COMMIT;
