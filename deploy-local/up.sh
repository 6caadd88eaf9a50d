#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Starts a local BeTrace cluster on this machine: a PostgreSQL server in the run folder, the schema
# (apply-schema.sh), N silos and M stand-alone OTLP gateways, and waits until every process is ready
# (/health/ready on its admin port). Then it writes the Prometheus scrape configuration for the ports it used and
# prints the endpoints. Everything listens on 127.0.0.1 unless told otherwise.
#
# Usage:
#   deploy-local/up.sh [options]
#
#   --silos N              silos (default 3)
#   --gateways M           stand-alone OTLP gateways (default 1; with 0, every silo serves OTLP itself)
#   --run-dir DIR          run folder: PostgreSQL data, logs, pid files, secrets, generated configuration
#                          (default deploy-local/.run)
#   --base-port P          take every port from P upward, in order (default: the standard ports below)
#   --configuration C      Release (default) or Debug: which build output to run; it is built when missing
#   --build                build (dotnet build -c C) even when the binaries exist
#   --restart              restart every silo and gateway, one at a time, even when nothing changed
#   --cluster-id ID        Orleans cluster id (default betrace)
#   --listen-address A     address of the OTLP and admin endpoints (default 127.0.0.1; 0.0.0.0 for all)
#   --export-endpoint URL  where the silos export violation spans (sets OTEL_EXPORTER_OTLP_ENDPOINT for them;
#                          default: OTEL_EXPORTER_OTLP_ENDPOINT of this shell, else the silos' default
#                          http://localhost:4317)
#   --scrape-interval S    Prometheus scrape and rule evaluation interval, in seconds (default 5)
#   --prometheus           also run Prometheus (installs the Debian package when missing and root)
#   --prometheus-port P    its port (default 9090, or the next free one)
#   --timeout S            seconds each process may take to become ready (default 180)
#   --help                 this text
#
# Standard ports, each taken when free, else the next free one: PostgreSQL 5433; silo I: 11111+I (silo to silo),
# 30000+I (Orleans clients), 9464+I (admin: /metrics, /health/*); gateway J: 4317+2J (OTLP/gRPC),
# 4318+2J (OTLP/HTTP), 9564+J (admin). With --gateways 0, silo I serves OTLP on 4317+2I and 4318+2I.
# Silos are instances 0..N-1 and gateways 100+J (--instance), and every port is passed explicitly.
#
# Running it again is safe: a process that still runs with the same configuration is kept; one that died (stale
# pid file) is started again on its former ports; one whose configuration changed is restarted, one at a time;
# surplus silos or gateways (a smaller --silos / --gateways) are stopped gracefully. The environment is passed
# on to every process, so BeTrace__* settings (docs/operations.md) and OTEL_EXPORTER_OTLP_* apply to them;
# changing them restarts the processes on the next run.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/.." && pwd)"
# shellcheck source=lib.sh
. "${script_dir}/lib.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

silos=3
gateways=1
run_dir="${script_dir}/.run"
base_port=""
configuration=Release
force_build=0
restart_all=0
cluster_id=betrace
listen_address=127.0.0.1
export_endpoint=""
scrape_interval=5
run_prometheus=0
prometheus_port=""
ready_timeout=180

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --silos) need_value "$@"; silos="$2"; shift 2 ;;
        --gateways) need_value "$@"; gateways="$2"; shift 2 ;;
        --run-dir) need_value "$@"; run_dir="$2"; shift 2 ;;
        --base-port) need_value "$@"; base_port="$2"; shift 2 ;;
        --configuration|-c) need_value "$@"; configuration="$2"; shift 2 ;;
        --build) force_build=1; shift ;;
        --restart) restart_all=1; shift ;;
        --cluster-id) need_value "$@"; cluster_id="$2"; shift 2 ;;
        --listen-address) need_value "$@"; listen_address="$2"; shift 2 ;;
        --export-endpoint) need_value "$@"; export_endpoint="$2"; shift 2 ;;
        --scrape-interval) need_value "$@"; scrape_interval="${2%s}"; shift 2 ;;
        --prometheus) run_prometheus=1; shift ;;
        --prometheus-port) need_value "$@"; prometheus_port="$2"; run_prometheus=1; shift 2 ;;
        --timeout) need_value "$@"; ready_timeout="$2"; shift 2 ;;
        --help|-h) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

# require_range OPTION VALUE MIN MAX
require_range() {
    if ! is_uint "$2" || [[ $2 -lt $3 || $2 -gt $4 ]]; then
        die "$1 must be a number from $3 to $4, not '$2'"
    fi
}
require_range --silos "${silos}" 1 50
require_range --gateways "${gateways}" 0 20
[[ -z "${base_port}" ]] || require_range --base-port "${base_port}" 1024 65000
[[ "${configuration}" == Release || "${configuration}" == Debug ]] \
    || die "--configuration must be Release or Debug, not '${configuration}'"
[[ "${cluster_id}" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ ]] || die "--cluster-id '${cluster_id}': use letters, digits, . _ -"
require_range --scrape-interval "${scrape_interval}" 1 300
require_range --timeout "${ready_timeout}" 1 3600
[[ -z "${prometheus_port}" ]] || require_range --prometheus-port "${prometheus_port}" 1 65535
[[ "${listen_address}" =~ ^[0-9a-fA-F.:]+$ ]] || die "--listen-address must be an IP address, not '${listen_address}'"
if [[ -n "${export_endpoint}" ]]; then
    [[ "${export_endpoint}" =~ ^https?://[^[:space:]]+$ ]] || die "--export-endpoint must be an http(s) URL"
    export OTEL_EXPORTER_OTLP_ENDPOINT="${export_endpoint}"
fi

for tool in dotnet curl flock setsid psql sha256sum; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
        case "${tool}" in
            dotnet) die "the .NET SDK (dotnet) is not installed: see https://dot.net (the repository needs .NET 10)" ;;
            psql) die "psql not found: apt-get install -y postgresql-client (or postgresql)" ;;
            *) die "${tool} not found: apt-get install -y ${tool/sha256sum/coreutils}" ;;
        esac
    fi
done
if is_root; then
    command -v runuser >/dev/null 2>&1 || die "runuser not found (util-linux): it is needed to run PostgreSQL as the postgres user"
fi

# Where the processes' endpoints are reached from this host.
case "${listen_address}" in
    0.0.0.0|::|'[::]') local_address=127.0.0.1 ;;
    *) local_address="${listen_address}" ;;
esac

bt_set_run_dir "${run_dir}"
mkdir -p "${RUN_DIR}" "${PIDS_DIR}" "${PROCS_DIR}" "${LOGS_DIR}" "${SECRETS_DIR}"
chmod 700 "${SECRETS_DIR}"
bt_lock 60

silo_dll="${repo_root}/silo/bin/${configuration}/net10.0/BeTrace.Silo.dll"
gateway_dll="${repo_root}/gateway/bin/${configuration}/net10.0/BeTrace.Gateway.dll"

# ---------------------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------------------
if [[ ${force_build} -eq 1 || ! -f "${silo_dll}" || ( ${gateways} -gt 0 && ! -f "${gateway_dll}" ) ]]; then
    info "building silo and gateway (dotnet build -c ${configuration}; log ${LOGS_DIR}/build.log)"
    for project in silo/BeTrace.Silo.csproj gateway/BeTrace.Gateway.csproj; do
        if ! dotnet build -c "${configuration}" "${repo_root}/${project}" >>"${LOGS_DIR}/build.log" 2>&1; then
            tail -n 30 "${LOGS_DIR}/build.log" >&2
            die "dotnet build of ${project} failed (full log: ${LOGS_DIR}/build.log)"
        fi
    done
fi
[[ -f "${silo_dll}" ]] || die "${silo_dll} is missing after the build"
[[ ${gateways} -eq 0 || -f "${gateway_dll}" ]] || die "${gateway_dll} is missing after the build"

# ---------------------------------------------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------------------------------------------
declare -A reserved=()
port_cursor="${base_port}"

port_usable() {
    [[ -z "${reserved[$1]:-}" ]] && ! port_busy "$1"
}

# pick_port VAR PREFERRED: the preferred port (the next one in --base-port mode) or the next free one after it.
pick_port() {
    local var="$1" port="$2"
    if [[ -n "${base_port}" ]]; then
        port="${port_cursor}"
    fi
    while ! port_usable "${port}"; do
        port=$((port + 1))
        [[ ${port} -le 65535 ]] || die "no free TCP port left above $2"
    done
    reserved[${port}]=1
    if [[ -n "${base_port}" ]]; then
        port_cursor=$((port + 1))
    fi
    printf -v "${var}" '%s' "${port}"
}

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------------------------
pg_bin="$(pg_find_bin)"
if [[ -z "${pg_bin}" ]]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        info "PostgreSQL server binaries missing: installing the Debian package (apt-get install -y postgresql)"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q postgresql >>"${LOGS_DIR}/apt.log" 2>&1; then
            apt-get update -q >>"${LOGS_DIR}/apt.log" 2>&1 || true
            apt-get install -y -q postgresql >>"${LOGS_DIR}/apt.log" 2>&1 \
                || die "apt-get install postgresql failed (log: ${LOGS_DIR}/apt.log)"
        fi
        pg_bin="$(pg_find_bin)"
    fi
    [[ -n "${pg_bin}" ]] || die "PostgreSQL 15 or later is needed (initdb, pg_ctl, postgres under /usr/lib/postgresql/*/bin): sudo apt-get install -y postgresql"
fi
if is_root && ! id postgres >/dev/null 2>&1; then
    die "running as root, but there is no 'postgres' OS user to run PostgreSQL as (PostgreSQL refuses root): apt-get install -y postgresql creates it"
fi

mkdir -p "${PG_ROOT}"
chmod 700 "${PG_ROOT}"
pg_log="${LOGS_DIR}/postgres.log"
touch "${pg_log}"
if is_root; then
    chmod 755 "${RUN_DIR}" "${LOGS_DIR}"
    chown postgres:postgres "${PG_ROOT}" "${pg_log}"
    if ! runuser -u postgres -- test -w "${PG_ROOT}"; then
        die "the postgres user cannot reach ${PG_ROOT}: every parent folder must be enterable by others (chmod o+x), or use --run-dir under /srv or /tmp"
    fi
fi
if [[ ! -f "${PG_DATA}/PG_VERSION" ]]; then
    info "creating a PostgreSQL cluster in ${PG_DATA} ($("${pg_bin}/postgres" --version))"
    as_pg mkdir -p "${PG_DATA}" "${PG_SOCKET}"
    as_pg chmod 700 "${PG_DATA}" "${PG_SOCKET}"
    if ! as_pg "${pg_bin}/initdb" -D "${PG_DATA}" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --encoding=UTF8 --no-locale >>"${LOGS_DIR}/postgres-initdb.log" 2>&1; then
        tail -n 20 "${LOGS_DIR}/postgres-initdb.log" >&2
        die "initdb failed (log: ${LOGS_DIR}/postgres-initdb.log)"
    fi
    echo "include_if_exists = 'betrace.conf'" | as_pg tee -a "${PG_DATA}/postgresql.conf" >/dev/null
fi

pg_port=""
recorded_pg_port="$(kv_get "${RUN_DIR}/cluster.env" PG_PORT)"
if pg_running "${pg_bin}"; then
    pg_port="${recorded_pg_port}"
    [[ -n "${pg_port}" ]] || pg_port="$(sed -n "s/^port = //p" "${PG_DATA}/betrace.conf" 2>/dev/null | tail -n 1)"
    is_uint "${pg_port}" || die "PostgreSQL runs from ${PG_DATA} but its port is unknown: stop it (down.sh) and retry"
    reserved[${pg_port}]=1
    info "PostgreSQL already running on 127.0.0.1:${pg_port}"
else
    if [[ -n "${recorded_pg_port}" ]] && port_usable "${recorded_pg_port}"; then
        pg_port="${recorded_pg_port}"
        reserved[${pg_port}]=1
        [[ -z "${base_port}" ]] || port_cursor=$((pg_port + 1))
    else
        pick_port pg_port 5433
    fi
    # The socket folder is private (mode 700): local connections there need no password, others cannot use it.
    printf '%s\n' "# Written by deploy-local/up.sh" "listen_addresses = '127.0.0.1'" "port = ${pg_port}" \
        "unix_socket_directories = '${PG_SOCKET}'" "max_connections = 300" "shared_buffers = 64MB" \
        | as_pg tee "${PG_DATA}/betrace.conf" >/dev/null
    info "starting PostgreSQL on 127.0.0.1:${pg_port} (log ${pg_log})"
    if ! as_pg "${pg_bin}/pg_ctl" -D "${PG_DATA}" -l "${pg_log}" -w -t 90 start >/dev/null 2>&1 9>&-; then
        tail -n 20 "${pg_log}" >&2
        die "PostgreSQL did not start (log: ${pg_log})"
    fi
fi

password_file="${SECRETS_DIR}/postgres-betrace.password"
if [[ ! -s "${password_file}" ]]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"${password_file}")
fi
chmod 600 "${password_file}"
db_password="$(<"${password_file}")"
[[ "${db_password}" =~ ^[0-9a-f]+$ ]] || die "${password_file} must hold a hex password (delete it to get a new one)"

# Role and database "betrace" (the password goes through stdin, not the command line).
if ! as_pg "${pg_bin}/psql" -X -q -v ON_ERROR_STOP=1 -h "${PG_SOCKET}" -p "${pg_port}" -U postgres -d postgres \
        >>"${LOGS_DIR}/postgres-setup.log" 2>&1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'betrace') THEN CREATE ROLE betrace LOGIN; END IF;
END \$\$;
ALTER ROLE betrace WITH LOGIN PASSWORD '${db_password}';
SELECT 'CREATE DATABASE betrace OWNER betrace' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'betrace')\gexec
SQL
then
    tail -n 20 "${LOGS_DIR}/postgres-setup.log" >&2
    die "could not create the betrace role and database (log: ${LOGS_DIR}/postgres-setup.log)"
fi

info "applying the schema"
PGPASSWORD="${db_password}" "${script_dir}/apply-schema.sh" "postgresql://betrace@127.0.0.1:${pg_port}/betrace" \
    || die "apply-schema.sh failed"

postgres_connection="Host=127.0.0.1;Port=${pg_port};Username=betrace;Password=${db_password};Database=betrace"

# ---------------------------------------------------------------------------------------------------------------
# Signing key: one for every silo, created once.
# ---------------------------------------------------------------------------------------------------------------
signing_key_file="${SECRETS_DIR}/violation-signing.key"
if [[ ! -s "${signing_key_file}" ]]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"${signing_key_file}")
    info "created the violation signing key ${signing_key_file}"
fi
chmod 600 "${signing_key_file}"
signing_key="$(tr -d '[:space:]' <"${signing_key_file}")"
[[ -n "${signing_key}" ]] || die "${signing_key_file} is empty"

# ---------------------------------------------------------------------------------------------------------------
# Plan: which processes, on which ports.
# ---------------------------------------------------------------------------------------------------------------
silo_names=()
for ((i = 0; i < silos; i++)); do silo_names+=("silo-${i}"); done
gateway_names=()
for ((j = 0; j < gateways; j++)); do gateway_names+=("gateway-${j}"); done

# Surplus processes of an earlier, larger run: stop them, gateways first.
surplus=()
while IFS= read -r name; do
    case "${name}" in
        silo-*) [[ ${name#silo-} -lt ${silos} ]] || surplus+=("${name}") ;;
        gateway-*) [[ ${name#gateway-} -lt ${gateways} ]] || surplus+=("${name}") ;;
    esac
done < <(known_procs)
if [[ ${#surplus[@]} -gt 0 ]]; then
    stop_procs 90 "${surplus[@]}"
    for name in "${surplus[@]}"; do rm -f "${PROCS_DIR}/${name}.env"; done
fi

declare -A port_of=()   # "NAME:KEY" -> port
declare -A running=()   # NAME -> pid of a process that runs now

# Pass 1: processes that run keep their ports; stopped ones get their former ports back when still free.
port_keys_for() {
    case "$1" in
        silo-*) if [[ ${gateways} -eq 0 ]]; then echo "SILO_PORT GATEWAY_PORT ADMIN_PORT OTLP_GRPC_PORT OTLP_HTTP_PORT"
                else echo "SILO_PORT GATEWAY_PORT ADMIN_PORT"; fi ;;
        gateway-*) echo "OTLP_GRPC_PORT OTLP_HTTP_PORT ADMIN_PORT" ;;
        prometheus) echo "PORT" ;;
    esac
}

all_names=("${silo_names[@]}" "${gateway_names[@]}")
[[ ${run_prometheus} -eq 0 && ! -f "${PROCS_DIR}/prometheus.env" ]] || all_names+=(prometheus)

for name in "${all_names[@]}"; do
    pid="$(proc_pid "${name}")"
    if [[ -z "${pid}" ]] && [[ -f "${PIDS_DIR}/${name}.pid" ]]; then
        info "${name}: stale pid file (process $(tr -dc '0-9' <"${PIDS_DIR}/${name}.pid") is gone)"
        rm -f "${PIDS_DIR}/${name}.pid"
    fi
    [[ -z "${pid}" ]] || running[${name}]="${pid}"
    env_file="${PROCS_DIR}/${name}.env"
    [[ -f "${env_file}" ]] || continue
    keys="$(port_keys_for "${name}")"
    ok=1
    declare -A mine=()
    for key in ${keys}; do
        port="$(kv_get "${env_file}" "${key}")"
        if [[ -z "${port}" ]] || { [[ -z "${pid}" ]] && ! port_usable "${port}"; } || [[ -n "${mine[${port}]:-}" ]]; then
            ok=0
        else
            mine[${port}]=1
        fi
    done
    unset mine
    [[ ${ok} -eq 1 ]] || continue
    for key in ${keys}; do
        port="$(kv_get "${env_file}" "${key}")"
        reserved[${port}]=1
        port_of[${name}:${key}]="${port}"
    done
done

# Pass 2: new ports for the rest.
chosen=""
for name in "${all_names[@]}"; do
    for key in $(port_keys_for "${name}"); do
        [[ -z "${port_of[${name}:${key}]:-}" ]] || continue
        index="${name##*-}"
        case "${name}:${key}" in
            silo-*:SILO_PORT) preferred=$((11111 + index)) ;;
            silo-*:GATEWAY_PORT) preferred=$((30000 + index)) ;;
            silo-*:ADMIN_PORT) preferred=$((9464 + index)) ;;
            silo-*:OTLP_GRPC_PORT|gateway-*:OTLP_GRPC_PORT) preferred=$((4317 + 2 * index)) ;;
            silo-*:OTLP_HTTP_PORT|gateway-*:OTLP_HTTP_PORT) preferred=$((4318 + 2 * index)) ;;
            gateway-*:ADMIN_PORT) preferred=$((9564 + index)) ;;
            prometheus:PORT) preferred="${prometheus_port:-9090}" ;;
            *) die "internal: no default port for ${name}:${key}" ;;
        esac
        if [[ "${name}" == prometheus && -n "${prometheus_port}" ]]; then
            port_usable "${prometheus_port}" || die "--prometheus-port ${prometheus_port} is taken"
            reserved[${prometheus_port}]=1
            port_of[${name}:${key}]="${prometheus_port}"
            continue
        fi
        pick_port chosen "${preferred}"
        port_of[${name}:${key}]="${chosen}"
    done
done

# The environment that decides how a process behaves: when it changes, the process is restarted.
env_fingerprint() {
    env | LC_ALL=C sort | grep -E '^(BeTrace__|OTEL_|DOTNET_|ASPNETCORE_|Orleans__)' || true
}

# ---------------------------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------------------------

args_for() {
    local name="$1" index="${1##*-}"
    proc_args=()
    case "${name}" in
        silo-*)
            proc_dll="${silo_dll}"
            proc_args=(--cluster Postgres --cluster-id "${cluster_id}" --instance "${index}"
                --silo-port "${port_of[${name}:SILO_PORT]}" --gateway-port "${port_of[${name}:GATEWAY_PORT]}"
                --admin-port "${port_of[${name}:ADMIN_PORT]}" --admin-address "${listen_address}"
                --advertised-address "${listen_address}" --data "${RUN_DIR}/${name}/data")
            if [[ ${gateways} -eq 0 ]]; then
                proc_args+=(--otlp true --otlp-address "${listen_address}"
                    --otlp-grpc-port "${port_of[${name}:OTLP_GRPC_PORT]}" --otlp-http-port "${port_of[${name}:OTLP_HTTP_PORT]}")
            else
                proc_args+=(--otlp false)
            fi
            ;;
        gateway-*)
            proc_dll="${gateway_dll}"
            proc_args=(--cluster Postgres --cluster-id "${cluster_id}" --instance "$((100 + index))"
                --otlp-address "${listen_address}" --otlp-grpc-port "${port_of[${name}:OTLP_GRPC_PORT]}"
                --otlp-http-port "${port_of[${name}:OTLP_HTTP_PORT]}"
                --admin-port "${port_of[${name}:ADMIN_PORT]}" --admin-address "${listen_address}")
            ;;
        prometheus)
            proc_dll=""
            proc_args=("--config.file=${RUN_DIR}/prometheus/prometheus.yml" "--storage.tsdb.path=${RUN_DIR}/prometheus/data"
                "--web.listen-address=${local_address}:${port_of[prometheus:PORT]}")
            ;;
    esac
}

signature_of() {
    local name="$1"
    args_for "${name}"
    {
        echo "${proc_dll}"
        printf '%s\n' "${proc_args[@]}"
        case "${name}" in
            silo-*|gateway-*)
                env_fingerprint
                echo "${postgres_connection}"
                echo "${signing_key}"
                ;;
        esac
    } | sha256sum | cut -c1-16
}

# start_proc NAME: starts it in the background, in its own session (it outlives this script and the terminal),
# with its output appended to logs/NAME.log. Secrets go through the environment, not the command line.
start_proc() {
    local name="$1" dir="${RUN_DIR}/$1" log="${LOGS_DIR}/$1.log" key
    args_for "${name}"
    mkdir -p "${dir}"
    printf '\n===== %s up.sh: starting %s: %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${name}" \
        "${proc_dll:-prometheus}" "${proc_args[*]}" >>"${log}"
    (
        # The run folder's lock (fd 9) belongs to this script, not to the processes it starts.
        exec 9>&-
        cd "${dir}"
        case "${name}" in
            silo-*)
                export BeTrace__Storage__PostgresConnectionString="${postgres_connection}"
                export BeTrace__Violations__Export__SigningKey="${signing_key}"
                exec setsid dotnet "${proc_dll}" "${proc_args[@]}" >>"${log}" 2>&1 </dev/null
                ;;
            gateway-*)
                export BeTrace__Cluster__PostgresConnectionString="${postgres_connection}"
                exec setsid dotnet "${proc_dll}" "${proc_args[@]}" >>"${log}" 2>&1 </dev/null
                ;;
            prometheus)
                exec setsid prometheus "${proc_args[@]}" >>"${log}" 2>&1 </dev/null
                ;;
        esac
    ) &
    local pid=$!
    echo "${pid}" >"${PIDS_DIR}/${name}.pid"
    {
        echo "NAME=${name}"
        for key in $(port_keys_for "${name}"); do
            echo "${key}=${port_of[${name}:${key}]}"
        done
        echo "SIGNATURE=$(signature_of "${name}")"
        echo "STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } >"${PROCS_DIR}/${name}.env"
    info "${name}: started (pid ${pid}, log ${log})"
}

ready_url() {
    case "$1" in
        prometheus) echo "http://${local_address}:${port_of[prometheus:PORT]}/-/ready" ;;
        *) echo "http://${local_address}:${port_of[$1:ADMIN_PORT]}/health/ready" ;;
    esac
}

# wait_ready NAME...: until each answers 200 on its readiness URL; fails with the log of one that died or timed out.
wait_ready() {
    local deadline=$((SECONDS + ready_timeout)) name
    local -a pending=("$@") still=()
    while [[ ${#pending[@]} -gt 0 ]]; do
        still=()
        for name in "${pending[@]}"; do
            if [[ -z "$(proc_pid "${name}")" ]]; then
                echo "---- last lines of ${LOGS_DIR}/${name}.log" >&2
                tail -n 40 "${LOGS_DIR}/${name}.log" >&2 || true
                die "${name} exited during start-up (log: ${LOGS_DIR}/${name}.log)"
            fi
            if http_ok "$(ready_url "${name}")"; then
                info "${name}: ready"
            else
                still+=("${name}")
            fi
        done
        pending=("${still[@]}")
        [[ ${#pending[@]} -gt 0 ]] || break
        if [[ ${SECONDS} -ge ${deadline} ]]; then
            for name in "${pending[@]}"; do
                echo "---- last lines of ${LOGS_DIR}/${name}.log" >&2
                tail -n 20 "${LOGS_DIR}/${name}.log" >&2 || true
            done
            die "not ready within ${ready_timeout}s: ${pending[*]} (logs in ${LOGS_DIR})"
        fi
        sleep 0.5
    done
}

# ensure_group NAME...: keeps what runs unchanged, restarts changed ones one at a time, starts the rest together.
ensure_group() {
    local name recorded current
    local -a fresh=() kept=()
    for name in "$@"; do
        current="$(signature_of "${name}")"
        if [[ -n "${running[${name}]:-}" ]]; then
            recorded="$(kv_get "${PROCS_DIR}/${name}.env" SIGNATURE)"
            if [[ ${restart_all} -eq 0 && "${recorded}" == "${current}" ]]; then
                info "${name}: already running (pid ${running[${name}]}), configuration unchanged: kept"
                kept+=("${name}")
                continue
            fi
            info "${name}: restarting ($([[ ${restart_all} -eq 1 ]] && echo "--restart" || echo "configuration changed"))"
            stop_procs 90 "${name}"
            start_proc "${name}"
            wait_ready "${name}"
        else
            start_proc "${name}"
            fresh+=("${name}")
        fi
    done
    [[ ${#fresh[@]} -eq 0 ]] || wait_ready "${fresh[@]}"
    [[ ${#kept[@]} -eq 0 ]] || wait_ready "${kept[@]}"
}

ensure_group "${silo_names[@]}"
[[ ${gateways} -eq 0 ]] || ensure_group "${gateway_names[@]}"

# ---------------------------------------------------------------------------------------------------------------
# Prometheus scrape configuration (and Prometheus itself with --prometheus), Grafana provisioning
# ---------------------------------------------------------------------------------------------------------------
mkdir -p "${RUN_DIR}/prometheus" "${RUN_DIR}/grafana/provisioning/datasources" "${RUN_DIR}/grafana/provisioning/dashboards"
scrape_timeout="${scrape_interval}"
[[ ${scrape_timeout} -le 10 ]] || scrape_timeout=10
prometheus_yml="${RUN_DIR}/prometheus/prometheus.yml"
{
    echo "# Generated by deploy-local/up.sh from the ports it used ($(date -u +%Y-%m-%dT%H:%M:%SZ)). Re-run up.sh to refresh."
    echo "global:"
    echo "  scrape_interval: ${scrape_interval}s"
    echo "  scrape_timeout: ${scrape_timeout}s"
    echo "  evaluation_interval: ${scrape_interval}s"
    echo "rule_files:"
    echo "  - ${script_dir}/prometheus/alerts.yml"
    echo "scrape_configs:"
    echo "  - job_name: betrace-silo"
    echo "    metrics_path: /metrics"
    echo "    static_configs:"
    for name in "${silo_names[@]}"; do
        echo "      - targets: ['${local_address}:${port_of[${name}:ADMIN_PORT]}']"
        echo "        labels: { betrace_process: ${name}, betrace_cluster: ${cluster_id} }"
    done
    if [[ ${gateways} -gt 0 ]]; then
        echo "  - job_name: betrace-gateway"
        echo "    metrics_path: /metrics"
        echo "    static_configs:"
        for name in "${gateway_names[@]}"; do
            echo "      - targets: ['${local_address}:${port_of[${name}:ADMIN_PORT]}']"
            echo "        labels: { betrace_process: ${name}, betrace_cluster: ${cluster_id} }"
        done
    fi
} >"${prometheus_yml}.tmp"
mv "${prometheus_yml}.tmp" "${prometheus_yml}"

prometheus_url="http://127.0.0.1:9090"
if [[ -n "${port_of[prometheus:PORT]:-}" ]]; then
    prometheus_url="http://${local_address}:${port_of[prometheus:PORT]}"
fi
if [[ ${run_prometheus} -eq 1 || -n "${running[prometheus]:-}" ]]; then
    if ! command -v prometheus >/dev/null 2>&1; then
        if is_root && command -v apt-get >/dev/null 2>&1; then
            info "installing Prometheus (apt-get install -y prometheus)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >>"${LOGS_DIR}/apt.log" 2>&1 \
                || die "apt-get install prometheus failed (log: ${LOGS_DIR}/apt.log)"
        else
            die "prometheus not found: sudo apt-get install -y prometheus (or run without --prometheus)"
        fi
    fi
    if [[ -n "${running[prometheus]:-}" && "$(kv_get "${PROCS_DIR}/prometheus.env" SIGNATURE)" == "$(signature_of prometheus)" ]]; then
        kill -HUP "${running[prometheus]}"
        info "prometheus: already running (pid ${running[prometheus]}): configuration reloaded"
    else
        [[ -z "${running[prometheus]:-}" ]] || stop_procs 30 prometheus
        start_proc prometheus
        wait_ready prometheus
    fi
fi

{
    echo "# Generated by deploy-local/up.sh. Grafana: GF_PATHS_PROVISIONING=${RUN_DIR}/grafana/provisioning"
    echo "apiVersion: 1"
    echo "datasources:"
    echo "  - name: BeTrace Prometheus"
    echo "    uid: betrace-prometheus"
    echo "    type: prometheus"
    echo "    access: proxy"
    echo "    url: ${prometheus_url}"
    echo "    isDefault: true"
    echo "    jsonData: { timeInterval: ${scrape_interval}s }"
    echo "  - name: BeTrace Tempo"
    echo "    uid: betrace-tempo"
    echo "    type: tempo"
    echo "    access: proxy"
    echo "    url: ${BETRACE_TEMPO_URL:-http://127.0.0.1:3200}"
} >"${RUN_DIR}/grafana/provisioning/datasources/betrace.yml"
{
    echo "# Generated by deploy-local/up.sh."
    echo "apiVersion: 1"
    echo "providers:"
    echo "  - name: betrace"
    echo "    folder: BeTrace"
    echo "    type: file"
    echo "    allowUiUpdates: false"
    echo "    options:"
    echo "      path: ${script_dir}/grafana/dashboards"
} >"${RUN_DIR}/grafana/provisioning/dashboards/betrace.yml"

# ---------------------------------------------------------------------------------------------------------------
# Records and summary
# ---------------------------------------------------------------------------------------------------------------
{
    echo "CLUSTER_ID=${cluster_id}"
    echo "CONFIGURATION=${configuration}"
    echo "SILOS=${silos}"
    echo "GATEWAYS=${gateways}"
    echo "PG_PORT=${pg_port}"
    echo "LISTEN_ADDRESS=${listen_address}"
} >"${RUN_DIR}/cluster.env"

endpoints="${RUN_DIR}/endpoints.env"
(
    umask 077
    {
        echo "RUN_DIR=${RUN_DIR}"
        echo "CLUSTER_ID=${cluster_id}"
        echo "SILOS=${silos}"
        echo "GATEWAYS=${gateways}"
        echo "POSTGRES_PORT=${pg_port}"
        echo "POSTGRES_CONNECTION=${postgres_connection}"
        echo "SIGNING_KEY_FILE=${signing_key_file}"
        echo "PROMETHEUS_CONFIG=${prometheus_yml}"
        [[ -z "${port_of[prometheus:PORT]:-}" ]] || echo "PROMETHEUS_URL=${prometheus_url}"
        for name in "${silo_names[@]}" "${gateway_names[@]}"; do
            prefix="$(echo "${name}" | tr 'a-z-' 'A-Z_')"
            echo "${prefix}_PID=$(proc_pid "${name}")"
            for key in $(port_keys_for "${name}"); do
                echo "${prefix}_${key}=${port_of[${name}:${key}]}"
            done
        done
    } >"${endpoints}"
)

export_target="${OTEL_EXPORTER_OTLP_ENDPOINT:-http://localhost:4317}"
echo
echo "BeTrace cluster '${cluster_id}' is up (run folder ${RUN_DIR}):"
printf '  %-11s %s\n' "postgres" "127.0.0.1:${pg_port}  database betrace, user betrace (password in ${password_file})"
for name in "${silo_names[@]}"; do
    line="silo $(bound_address "${port_of[${name}:SILO_PORT]}")  clients $(bound_address "${port_of[${name}:GATEWAY_PORT]}")  admin http://${local_address}:${port_of[${name}:ADMIN_PORT]}"
    if [[ ${gateways} -eq 0 ]]; then
        line+="  OTLP grpc http://${local_address}:${port_of[${name}:OTLP_GRPC_PORT]}  http http://${local_address}:${port_of[${name}:OTLP_HTTP_PORT]}/v1/traces"
    fi
    printf '  %-11s %s\n' "${name}" "${line}"
done
for name in "${gateway_names[@]}"; do
    printf '  %-11s %s\n' "${name}" "OTLP grpc http://${local_address}:${port_of[${name}:OTLP_GRPC_PORT]}  http http://${local_address}:${port_of[${name}:OTLP_HTTP_PORT]}/v1/traces  admin http://${local_address}:${port_of[${name}:ADMIN_PORT]}"
done
[[ -z "${port_of[prometheus:PORT]:-}" ]] || printf '  %-11s %s\n' "prometheus" "${prometheus_url}"
echo "  violations are exported to ${export_target} (OTEL_EXPORTER_OTLP_ENDPOINT), signed with ${signing_key_file}"
echo "  Prometheus scrape configuration: ${prometheus_yml}"
echo "  Grafana provisioning: ${RUN_DIR}/grafana/provisioning (dashboards in ${script_dir}/grafana/dashboards)"
echo "  logs: ${LOGS_DIR}    status: ${script_dir}/status.sh --run-dir ${RUN_DIR}    stop: ${script_dir}/down.sh --run-dir ${RUN_DIR}"
for name in "${silo_names[@]}" "${gateway_names[@]}"; do
    for key in OTLP_GRPC_PORT OTLP_HTTP_PORT; do
        port="${port_of[${name}:${key}]:-}"
        if [[ -n "${port}" && "${export_target}" =~ ^https?://(localhost|127\.0\.0\.1):${port}(/.*)?$ ]]; then
            warn "violations are exported to ${export_target}, which is ${name}'s own OTLP port: BeTrace ignores its own violation spans there; set OTEL_EXPORTER_OTLP_ENDPOINT or --export-endpoint to your Tempo or Collector"
        fi
    done
done
