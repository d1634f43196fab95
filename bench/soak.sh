#!/usr/bin/env bash
# The soak three ways, to show what the allocator does to memory over a long run:
# jemalloc (the default build), glibc malloc, and glibc with MALLOC_ARENA_MAX=2
# (sharp's advice for glibc). Builds build-glibc/ (-DPIXMILL_JEMALLOC=OFF) if needed.
#
#   bench/soak.sh                 # 20 000 requests each (long: run it on a quiet machine)
#   SOAK_REQUESTS=2000 bench/soak.sh
#   SOAK_ALLOCATORS=jemalloc bench/soak.sh       # one of: jemalloc glibc glibc-arena2
# 20 000 requests take roughly half an hour per allocator on 2 quiet cores.
# Each run's full summary goes to $OUT (default /tmp/pixmill-soak/); the table at the
# end compares RSS after warm-up, peak and end, and the growth.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${SOAK_REQUESTS:-20000}"
out="${OUT:-/tmp/pixmill-soak}"
mkdir -p "$out"

if [ ! -x "$root/build-glibc/pixmill" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  cmake -S "$root" -B "$root/build-glibc" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXMILL_JEMALLOC=OFF \
    -DPIXMILL_TESTS=OFF -DPIXMILL_BENCH=OFF "${launcher[@]}" >/dev/null
  cmake --build "$root/build-glibc" --target pixmill -j"${JOBS:-$(nproc)}"
fi

run() {  # label exe [env...]
  local label=$1 exe=$2
  shift 2
  echo "== $label" >&2
  env "$@" python3 "$root/bench/soak.py" --requests "$requests" --exe "$exe" --label "$label" \
    | tee "$out/$label.txt" >&2 || true
}
allocators="${SOAK_ALLOCATORS:-jemalloc glibc glibc-arena2}"
for label in $allocators; do
  case $label in
    jemalloc) run jemalloc "$root/build/pixmill" ;;
    glibc) run glibc "$root/build-glibc/pixmill" ;;
    glibc-arena2) run glibc-arena2 "$root/build-glibc/pixmill" MALLOC_ARENA_MAX=2 ;;
    *) echo "soak.sh: unknown allocator $label" >&2; exit 2 ;;
  esac
done

printf '%-14s %-66s %-10s %s\n' allocator "rss_mb" growth result
for label in $allocators; do
  f="$out/$label.txt"
  printf '%-14s %-66s %-10s %s\n' "$label" \
    "$(grep -o '{"start".*}' "$f" | tr -d ' ')" \
    "$(awk '/rss_growth_after_warmup/ {print $2}' "$f")" \
    "$(grep RESULT "$f" | cut -d' ' -f2-)"
done
