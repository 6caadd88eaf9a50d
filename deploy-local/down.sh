#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops the local BeTrace cluster that up.sh started: gateways first, then silos (gracefully: SIGTERM, so live
# traces are parked in PostgreSQL), then Prometheus, then PostgreSQL. Data, logs and the signing key stay in the run
# folder, so up.sh brings the same cluster back (rules included); --purge deletes the run folder as well.
#
# Usage:
#   deploy-local/down.sh [options] [NAME...]
#
#   NAME             stop only these processes, e.g. silo-1 or gateway-0 (also prometheus, postgres); the others
#                    keep running, and up.sh starts the stopped ones again
#   --run-dir DIR    the run folder given to up.sh (default deploy-local/.run)
#   --timeout S      seconds a process may take to stop before it is killed (default 90)
#   --keep-postgres  leave PostgreSQL running
#   --purge          after stopping everything, delete the run folder (database, logs, signing key)
#   --help           this text
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "${script_dir}/lib.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

run_dir="${script_dir}/.run"
timeout=90
keep_postgres=0
purge=0
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --run-dir) [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; run_dir="$2"; shift 2 ;;
        --timeout)
            if [[ $# -lt 2 ]] || ! is_uint "$2"; then die "--timeout needs a number of seconds"; fi
            timeout="$2"
            shift 2
            ;;
        --keep-postgres) keep_postgres=1; shift ;;
        --purge) purge=1; shift ;;
        --help|-h) usage; exit 0 ;;
        silo-[0-9]*|gateway-[0-9]*|prometheus|postgres) targets+=("$1"); shift ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ ${purge} -eq 0 || ${#targets[@]} -eq 0 ]] || die "--purge stops everything; do not name processes with it"

bt_set_run_dir "${run_dir}"
if [[ ! -d "${RUN_DIR}" ]]; then
    info "nothing to stop: ${RUN_DIR} does not exist"
    exit 0
fi
[[ -f "${RUN_DIR}/cluster.env" || -d "${PIDS_DIR}" ]] || die "${RUN_DIR} is not an up.sh run folder"
bt_lock 120

stop_postgres() {
    local bin
    bin="$(pg_find_bin)"
    if [[ -n "${bin}" ]] && pg_running "${bin}"; then
        info "stopping PostgreSQL"
        as_pg "${bin}/pg_ctl" -D "${PG_DATA}" -m fast -w -t "${timeout}" stop >/dev/null \
            || die "pg_ctl stop failed (log: ${LOGS_DIR}/postgres.log)"
        info "PostgreSQL stopped"
    fi
}

if [[ ${#targets[@]} -gt 0 ]]; then
    procs=()
    for name in "${targets[@]}"; do
        if [[ "${name}" == postgres ]]; then
            continue
        fi
        [[ -f "${PROCS_DIR}/${name}.env" ]] || die "${name} is not part of the cluster in ${RUN_DIR}"
        procs+=("${name}")
    done
    [[ ${#procs[@]} -eq 0 ]] || stop_procs "${timeout}" "${procs[@]}"
    for name in "${targets[@]}"; do
        [[ "${name}" != postgres ]] || stop_postgres
    done
    exit 0
fi

gateways=()
silos=()
others=()
while IFS= read -r name; do
    case "${name}" in
        gateway-*) gateways+=("${name}") ;;
        silo-*) silos+=("${name}") ;;
        *) others+=("${name}") ;;
    esac
done < <(known_procs)
# Also pid files without a record (an interrupted up.sh).
for pidfile in "${PIDS_DIR}"/*.pid; do
    [[ -f "${pidfile}" ]] || continue
    name="$(basename "${pidfile}" .pid)"
    [[ -f "${PROCS_DIR}/${name}.env" ]] || others+=("${name}")
done

[[ ${#gateways[@]} -eq 0 ]] || stop_procs "${timeout}" "${gateways[@]}"
[[ ${#silos[@]} -eq 0 ]] || stop_procs "${timeout}" "${silos[@]}"
[[ ${#others[@]} -eq 0 ]] || stop_procs "${timeout}" "${others[@]}"
[[ ${keep_postgres} -eq 1 ]] || stop_postgres

if [[ ${purge} -eq 1 ]]; then
    [[ ${keep_postgres} -eq 0 ]] || die "--purge with --keep-postgres would delete a running server's files"
    # Only what up.sh creates, so a mistyped --run-dir cannot delete anything else.
    for entry in "${RUN_DIR}"/* "${RUN_DIR}"/.lock; do
        [[ -e "${entry}" ]] || continue
        case "$(basename "${entry}")" in
            .lock|cluster.env|endpoints.env|secrets|postgres|pids|procs|logs|prometheus|grafana|silo-[0-9]*|gateway-[0-9]*) ;;
            *) die "${RUN_DIR} holds ${entry}, which up.sh did not create: not purging" ;;
        esac
    done
    rm -rf "${RUN_DIR}"
    info "deleted ${RUN_DIR}"
else
    info "all stopped; data, logs and keys kept in ${RUN_DIR} (up.sh starts the cluster again)"
fi
