#!/usr/bin/env bash
# Applies the BeTrace PostgreSQL schema and Orleans query rows (deploy-local/sql/postgresql-*.sql) with psql.
#
# The scripts are idempotent and take an advisory lock, so this is safe to run again, and while silos start
# (silos apply the same scripts at start-up unless told not to).
#
# Usage:
#   deploy-local/apply-schema.sh [options] [CONNINFO]
#
#   CONNINFO   a libpq connection URI or string, e.g.
#                postgresql://betrace:secret@127.0.0.1:5432/betrace
#                "host=127.0.0.1 port=5432 user=betrace dbname=betrace"
#              Without it, psql uses the PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
#              PGDATABASE, ...) and its defaults.
#   -h HOST, -p PORT, -U USER, -d DBNAME
#              the usual psql connection options (override the environment).
#   --clustering-only | --persistence-only
#              apply one of the two scripts (default: both).
#   --help     this text.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sql_dir="${script_dir}/sql"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

fail() {
    echo "apply-schema: $*" >&2
    exit 1
}

psql_args=()
conninfo=""
scripts=(postgresql-clustering.sql postgresql-persistence.sql)

while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|-p|-U|-d)
            [[ $# -ge 2 ]] || fail "option $1 needs a value (see --help)"
            psql_args+=("$1" "$2")
            shift 2
            ;;
        --clustering-only)
            scripts=(postgresql-clustering.sql)
            shift
            ;;
        --persistence-only)
            scripts=(postgresql-persistence.sql)
            shift
            ;;
        --help)
            usage
            exit 0
            ;;
        -*)
            fail "unknown option '$1' (see --help)"
            ;;
        *)
            [[ -z "${conninfo}" ]] || fail "more than one connection string given (see --help)"
            conninfo="$1"
            shift
            ;;
    esac
done

command -v psql >/dev/null 2>&1 \
    || fail "psql not found. Install the PostgreSQL client: apt-get install -y postgresql-client"

for script in "${scripts[@]}"; do
    [[ -r "${sql_dir}/${script}" ]] || fail "missing SQL script ${sql_dir}/${script}"
done

if [[ -n "${conninfo}" ]]; then
    psql_args+=(--dbname "${conninfo}")
fi

export PGAPPNAME="${PGAPPNAME:-betrace-apply-schema}"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"

# Fail early, and clearly, when the server cannot be reached.
if ! target="$(psql -X -A -t -v ON_ERROR_STOP=1 "${psql_args[@]}" \
        -c "SELECT current_user || '@' || current_database() || ' (PostgreSQL ' || current_setting('server_version') || ')'" 2>&1)"; then
    fail "cannot connect to PostgreSQL: ${target}"
fi
server_major="$(psql -X -A -t -v ON_ERROR_STOP=1 "${psql_args[@]}" -c "SHOW server_version_num")"
if [[ "${server_major}" -lt 150000 ]]; then
    fail "PostgreSQL 15 or later is needed (UNIQUE ... NULLS NOT DISTINCT); the server is ${target}"
fi

echo "apply-schema: applying to ${target}"
for script in "${scripts[@]}"; do
    # Each script is one transaction (BEGIN ... COMMIT); ON_ERROR_STOP makes psql stop and fail on the first error,
    # and the transaction is rolled back.
    if ! psql -X -q -v ON_ERROR_STOP=1 "${psql_args[@]}" -o /dev/null -f "${sql_dir}/${script}"; then
        fail "${script} failed (nothing from it was applied)"
    fi
    echo "apply-schema: ${script} applied"
done

psql -X -A -t -v ON_ERROR_STOP=1 "${psql_args[@]}" \
    -c "SELECT 'apply-schema: ' || count(*) || ' Orleans query rows present' FROM orleansquery"
