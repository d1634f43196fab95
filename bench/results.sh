#!/usr/bin/env bash
# Regenerates bench/RESULTS.md: pixmill against the Node + sharp peer and the
# in-process libvips limit (bench/compare/compare.sh), with a memory profile per
# workload, the machine and the date.
#
#   bench/results.sh                              # the full comparison (~15 min: 3 rounds, C=4 and 16)
#   ROUNDS=1 DURATION=5 CONC=4 bench/results.sh   # a quick look (~3 min)
#
# Needs build/pixmill (make build). compare.sh's setup.sh installs what is missing
# (wrk, jq, Debian's libvips-dev, the peer's npm packages) and builds vips-limit.
# Absolute figures are only comparable within one run: read the ratios.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exe="${PIXMILL_EXE:-$root/build/pixmill}"
[ -x "$exe" ] || { echo "results.sh: $exe not built (make build)" >&2; exit 2; }
out="${OUT:-${TMPDIR:-/tmp}/pixmill-bench/results-$(date +%Y%m%d-%H%M%S)}"
# Workload photos come from $PIXMILL_CORPUS/photo (default: the repository's tests/fixtures).
export CORPUS="${PIXMILL_CORPUS:-$root/tests/fixtures}"

"$root/bench/compare/compare.sh" --server "exec '$exe' serve" --name pixmill \
  --rounds "${ROUNDS:-3}" --duration "${DURATION:-15}" --concurrency "${CONC:-4 16}" \
  --workloads "${WORKLOADS:-a b c d}" --out "$out"

# Sections measured by other tools (bench/compose_overhead.py, …) follow a marker line and
# survive the regeneration.
kept=$(sed -n '/^<!-- kept by bench\/results.sh -->$/,$p' "$root/bench/RESULTS.md" 2>/dev/null || true)
python3 "$root/bench/render_results.py" "$out" \
  --command "ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-15} CONC='${CONC:-4 16}' WORKLOADS='${WORKLOADS:-a b c d}' bench/results.sh" \
  >"$root/bench/RESULTS.md"
# The background-removal and face figures (bench/remove_bg_bench.py, a separate run) are kept.
[[ -f $root/bench/RESULTS-ai.md ]] && cat "$root/bench/RESULTS-ai.md" >>"$root/bench/RESULTS.md"
if [ -n "$kept" ]; then printf '\n%s\n' "$kept" >>"$root/bench/RESULTS.md"; fi
echo "results.sh: wrote bench/RESULTS.md (raw runs in $out)" >&2
