#!/bin/bash
# Runs the load generator with a silo it starts (--start-silo) and records a perf CPU profile of that silo during the
# measured window, then prints where the silo's CPU went (perf_categories.py).
#
#   bench/Load/profile-silo.sh OUT [load options...]     e.g. bench/Load/profile-silo.sh /tmp/run1 --warmup 30s --duration 30s
#
# Environment: WARM (seconds to wait after the load starts before recording; default 30: past the generator's warm-up),
# PERFSEC (seconds recorded; default 20). Writes OUT.txt (report), OUT.err (progress lines), OUT.perf, OUT.map (the
# silo's JIT symbol map), OUT.script and OUT.categories. The silo gets DOTNET_PerfMapEnabled=1 (JIT symbols for perf)
# and DOTNET_EnableWriteXorExecute=0 (JIT code in anonymous memory, where perf looks the map up).
set -u
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
dotnet run -c Release --no-build --project bench -- load --start-silo \
  --silo-env DOTNET_PerfMapEnabled=1 --silo-env DOTNET_EnableWriteXorExecute=0 "$@" >"$out.txt" 2>"$out.err" &
generator=$!
pid=""
for _ in $(seq 1 240); do
  pid=$(grep -oP 'silo: pid \K[0-9]+' "$out.txt" 2>/dev/null | head -1)
  grep -q '^load:' "$out.txt" 2>/dev/null && break
  sleep 0.5
done
if [ -z "$pid" ]; then
  echo "no silo pid in $out.txt" >&2
  wait $generator
  exit 1
fi
sleep "${WARM:-30}"
perf record -F 499 -g -p "$pid" -o "$out.perf" -- sleep "${PERFSEC:-20}" 2>"$out.perf.log"
cp "/tmp/perf-$pid.map" "$out.map" 2>/dev/null
wait $generator
status=$?
# perf script resolves JIT frames through /tmp/perf-PID.map; put the kept copy back if the runtime removed it.
[ -f "/tmp/perf-$pid.map" ] || cp "$out.map" "/tmp/perf-$pid.map"
perf script -i "$out.perf" -F comm,tid,ip,sym,dso >"$out.script" 2>/dev/null
python3 "$here/perf_categories.py" "$out.script" >"$out.categories"
echo "generator exit code $status; report $out.txt, profile $out.categories" >&2
exit $status
