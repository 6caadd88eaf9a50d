# shellcheck shell=bash
# Shared helpers of deploy-local/up.sh, status.sh and down.sh. Sourced, not run.
#
# Run folder layout (default deploy-local/.run, or --run-dir DIR):
#   .lock                      flock taken by up.sh and down.sh (one at a time per run folder)
#   cluster.env                what up.sh last used (cluster id, configuration, counts, PostgreSQL port)
#   endpoints.env              every process's ports, machine-readable (mode 600: it holds the connection string)
#   secrets/                   violation-signing.key, postgres-betrace.password (mode 600)
#   postgres/data, socket/     the PostgreSQL server's files (owned by the postgres user when run as root)
#   pids/NAME.pid              pid of each process started by up.sh (NAME: silo-I, gateway-J, prometheus)
#   procs/NAME.env             its ports and configuration signature, kept after it stops so a restart reuses them
#   NAME/                      its working directory
#   logs/NAME.log              its output (postgres.log, build.log too)
#   prometheus/prometheus.yml  generated scrape configuration; prometheus/data when up.sh --prometheus runs it
#   grafana/provisioning/      generated Grafana data sources and dashboard provider

# The run folder must hold nothing but what these scripts write there.

bt_prog="$(basename "$0")"

# Set by bt_set_run_dir.
RUN_DIR=""
PIDS_DIR=""
PROCS_DIR=""
LOGS_DIR=""
SECRETS_DIR=""
PG_ROOT=""
PG_DATA=""
PG_SOCKET=""

die() {
    echo "${bt_prog}: error: $*" >&2
    exit 1
}

warn() {
    echo "${bt_prog}: warning: $*" >&2
}

info() {
    echo "${bt_prog}: $*"
}

is_root() {
    [[ "$(id -u)" -eq 0 ]]
}

# Whether $1 is a non-negative integer.
is_uint() {
    [[ "$1" =~ ^[0-9]+$ ]]
}

# Absolute path of a folder that may not exist yet.
abs_path() {
    local path="$1"
    if [[ "${path}" != /* ]]; then
        path="${PWD}/${path}"
    fi
    # Normalise "." and ".." segments without requiring the folder to exist.
    local -a parts=() out=()
    local part
    IFS='/' read -r -a parts <<<"${path}"
    for part in "${parts[@]}"; do
        case "${part}" in
            ''|.) ;;
            ..) if [[ ${#out[@]} -gt 0 ]]; then unset 'out[${#out[@]}-1]'; fi ;;
            *) out+=("${part}") ;;
        esac
    done
    local joined
    joined="$(IFS=/; echo "${out[*]}")"
    echo "/${joined}"
}

# kv_get FILE KEY: the value of KEY=VALUE in FILE (empty when missing). Files are read, never sourced.
kv_get() {
    local file="$1" key="$2"
    [[ -f "${file}" ]] || return 0
    sed -n "s/^${key}=//p" "${file}" | tail -n 1
}

# Whether something listens on TCP port $1 (any local address).
port_busy() {
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :${port}" 2>/dev/null)" ]]
    else
        (: <"/dev/tcp/127.0.0.1/${port}") 2>/dev/null
    fi
}

# The address:port a local process listens on for TCP port $1 (":PORT" when unknown). Silos in PostgreSQL mode bind
# their silo and Orleans client ports to the host's primary address, not to 127.0.0.1.
bound_address() {
    local found=""
    if command -v ss >/dev/null 2>&1; then
        found="$(ss -Hltn "sport = :$1" 2>/dev/null | awk 'NR == 1 { print $4 }')"
    fi
    echo "${found:-:$1}"
}

# http_ok URL: 0 when the URL answers 2xx within 2 seconds.
http_ok() {
    curl -fsS -o /dev/null -m 2 "$1" 2>/dev/null
}

# Folders of one run.
bt_set_run_dir() {
    RUN_DIR="$(abs_path "$1")"
    PIDS_DIR="${RUN_DIR}/pids"
    PROCS_DIR="${RUN_DIR}/procs"
    LOGS_DIR="${RUN_DIR}/logs"
    SECRETS_DIR="${RUN_DIR}/secrets"
    PG_ROOT="${RUN_DIR}/postgres"
    PG_DATA="${PG_ROOT}/data"
    PG_SOCKET="${PG_ROOT}/socket"
    export RUN_DIR PIDS_DIR PROCS_DIR LOGS_DIR SECRETS_DIR PG_ROOT PG_DATA PG_SOCKET
}

# Takes the run folder's lock (fd 9) or fails: up.sh and down.sh never run at the same time on one folder.
bt_lock() {
    exec 9>"${RUN_DIR}/.lock"
    if ! flock -w "${1:-30}" 9; then
        die "another up.sh or down.sh is working on ${RUN_DIR} (lock ${RUN_DIR}/.lock)"
    fi
}

# pid of process NAME when it runs (pid file present, process alive, and its working directory is ours), else empty.
# A pid file whose process is gone (or was reused by another program) is stale.
proc_pid() {
    local name="$1" pidfile="${PIDS_DIR}/$1.pid" pid cwd
    [[ -f "${pidfile}" ]] || return 0
    pid="$(tr -dc '0-9' <"${pidfile}")"
    [[ -n "${pid}" ]] || return 0
    kill -0 "${pid}" 2>/dev/null || return 0
    if [[ -d "/proc/${pid}" ]]; then
        # A zombie (exited, not yet reaped) is gone; so is a reused pid running elsewhere.
        local state
        state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/${pid}/status" 2>/dev/null || true)"
        [[ -n "${state}" && "${state}" != Z && "${state}" != X ]] || return 0
        cwd="$(readlink "/proc/${pid}/cwd" 2>/dev/null || true)"
        [[ "${cwd}" == "${RUN_DIR}/${name}" ]] || return 0
    fi
    echo "${pid}"
}

# Whether NAME has a pid file whose process is gone.
proc_stale() {
    [[ -f "${PIDS_DIR}/$1.pid" && -z "$(proc_pid "$1")" ]]
}

# stop_procs TIMEOUT NAME...: SIGTERM (graceful: silos park their live traces) to every running NAME, wait up to
# TIMEOUT seconds for all of them, then SIGKILL what is left. Removes their pid files.
# (SIGTERM, not SIGINT: a program started in the background by a script has SIGINT ignored.)
stop_procs() {
    local timeout="$1"
    shift
    local -a names=() pids=()
    local name pid
    for name in "$@"; do
        pid="$(proc_pid "${name}")"
        if [[ -n "${pid}" ]]; then
            info "stopping ${name} (pid ${pid})"
            kill -TERM "${pid}" 2>/dev/null || true
            names+=("${name}")
            pids+=("${pid}")
        elif [[ -f "${PIDS_DIR}/${name}.pid" ]]; then
            info "${name} is not running (stale pid file removed)"
        fi
    done
    local deadline=$((SECONDS + timeout)) alive i
    while true; do
        alive=0
        for i in "${!pids[@]}"; do
            if kill -0 "${pids[$i]}" 2>/dev/null; then
                alive=1
            fi
        done
        [[ ${alive} -eq 1 && ${SECONDS} -lt ${deadline} ]] || break
        sleep 0.2
    done
    for i in "${!pids[@]}"; do
        if kill -0 "${pids[$i]}" 2>/dev/null; then
            warn "${names[$i]} (pid ${pids[$i]}) did not stop within ${timeout}s: killing it"
            kill -KILL "${pids[$i]}" 2>/dev/null || true
        else
            info "${names[$i]} stopped"
        fi
    done
    for name in "$@"; do
        rm -f "${PIDS_DIR}/${name}.pid"
    done
}

# The newest PostgreSQL server binaries (15 or later), or empty.
pg_find_bin() {
    local dir version best="" best_version=0
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "${dir}/initdb" && -x "${dir}/pg_ctl" && -x "${dir}/postgres" ]] || continue
        version="$(basename "$(dirname "${dir}")")"
        is_uint "${version}" || continue
        if [[ ${version} -ge 15 && ${version} -gt ${best_version} ]]; then
            best="${dir}"
            best_version="${version}"
        fi
    done
    echo "${best}"
}

# Runs a command as the PostgreSQL server's OS user: postgres when we are root (PostgreSQL refuses root), else us.
as_pg() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Whether the PostgreSQL server of the run folder runs.
pg_running() {
    local bin="$1"
    [[ -f "${PG_DATA}/postmaster.pid" ]] || return 1
    as_pg "${bin}/pg_ctl" -D "${PG_DATA}" status >/dev/null 2>&1
}

# Process names recorded in the run folder, gateways first (the order to stop them in).
known_procs() {
    local kind file
    for kind in gateway silo prometheus; do
        for file in "${PROCS_DIR}/${kind}"-*.env "${PROCS_DIR}/${kind}.env"; do
            [[ -f "${file}" ]] || continue
            basename "${file}" .env
        done | sort -t- -k2 -n
    done
}
