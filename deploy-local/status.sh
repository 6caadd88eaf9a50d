#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Shows the local BeTrace cluster that up.sh started: PostgreSQL, every silo and gateway (and Prometheus when
# up.sh --prometheus ran it) with its pid, state and endpoints. Changes nothing.
#
# Usage:
#   deploy-local/status.sh [--run-dir DIR]
#
#   --run-dir DIR   the run folder given to up.sh (default deploy-local/.run)
#   --help          this text
#
# States: ready (running and /health/ready answers 200), not ready (running, starting or stopping), stopped
# (stopped by down.sh), dead (a stale pid file: the process is gone, e.g. killed or crashed; up.sh restarts it).
# Exit code: 0 when every process is ready, 3 when some are not, 1 on errors (no run folder).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "${script_dir}/lib.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

run_dir="${script_dir}/.run"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --run-dir) [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; run_dir="$2"; shift 2 ;;
        --help|-h) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

bt_set_run_dir "${run_dir}"
[[ -d "${RUN_DIR}" && -f "${RUN_DIR}/cluster.env" ]] || die "no cluster in ${RUN_DIR} (start one with up.sh)"

address="$(kv_get "${RUN_DIR}/cluster.env" LISTEN_ADDRESS)"
case "${address}" in
    ''|0.0.0.0|::) address=127.0.0.1 ;;
esac
all_ready=1

printf '%-11s %-8s %-10s %s\n' NAME PID STATE ENDPOINTS

pg_port="$(kv_get "${RUN_DIR}/cluster.env" PG_PORT)"
pg_bin="$(pg_find_bin)"
pg_state=stopped
pg_pid=-
if [[ -n "${pg_bin}" ]] && pg_running "${pg_bin}"; then
    pg_state=ready
    pg_pid="$(head -n 1 "${PG_DATA}/postmaster.pid" 2>/dev/null || echo '?')"
elif [[ -f "${PG_DATA}/postmaster.pid" ]]; then
    pg_state=dead
fi
[[ "${pg_state}" == ready ]] || all_ready=0
printf '%-11s %-8s %-10s %s\n' postgres "${pg_pid}" "${pg_state}" "127.0.0.1:${pg_port:-?} (database betrace)"

while IFS= read -r name; do
    env_file="${PROCS_DIR}/${name}.env"
    pid="$(proc_pid "${name}")"
    case "${name}" in
        prometheus) url="http://${address}:$(kv_get "${env_file}" PORT)/-/ready" ;;
        *) url="http://${address}:$(kv_get "${env_file}" ADMIN_PORT)/health/ready" ;;
    esac
    if [[ -n "${pid}" ]]; then
        if http_ok "${url}"; then state=ready; else state="not ready"; fi
    elif [[ -f "${PIDS_DIR}/${name}.pid" ]]; then
        state=dead
    else
        state=stopped
    fi
    [[ "${state}" == ready ]] || all_ready=0
    case "${name}" in
        silo-*)
            endpoints="silo $(bound_address "$(kv_get "${env_file}" SILO_PORT)")  clients $(bound_address "$(kv_get "${env_file}" GATEWAY_PORT)")  admin http://${address}:$(kv_get "${env_file}" ADMIN_PORT)"
            otlp="$(kv_get "${env_file}" OTLP_GRPC_PORT)"
            [[ -z "${otlp}" ]] || endpoints+="  OTLP grpc :${otlp} http :$(kv_get "${env_file}" OTLP_HTTP_PORT)"
            ;;
        gateway-*)
            endpoints="OTLP grpc http://${address}:$(kv_get "${env_file}" OTLP_GRPC_PORT)  http http://${address}:$(kv_get "${env_file}" OTLP_HTTP_PORT)/v1/traces  admin http://${address}:$(kv_get "${env_file}" ADMIN_PORT)"
            ;;
        *)
            endpoints="http://${address}:$(kv_get "${env_file}" PORT)"
            ;;
    esac
    printf '%-11s %-8s %-10s %s\n' "${name}" "${pid:--}" "${state}" "${endpoints}"
done < <(known_procs)

echo "logs: ${LOGS_DIR}"
if [[ ${all_ready} -eq 1 ]]; then
    exit 0
fi
exit 3
