#!/usr/bin/env bash
# access_overhead.sh — the cost of API keys + Redis-shared rate limiting on a small-image
# workload: the same server with and without KEYS_FILE + REDIS_URL, interleaved rounds
# (A B, B A, …) of wrk against POST /api/v1/resize (a small JPEG, 320 wide), printing
# requests/s of each run and the ratio of the medians.
#
#   bench/access_overhead.sh [--rounds 4] [--duration 8] [--concurrency 4] [--image FILE]
#   (BENCH_WORKERS sets the servers' WORKERS, default 1; PIXMILL_EXE the binary)
#
# Needs wrk and redis-server; uses build/pixmill and the smallest photo-small JPEG of
# $PIXMILL_CORPUS (default: the repository's tests/fixtures).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=4 duration=8 conc=4 image=""
while (($#)); do
  case $1 in
    --rounds) rounds=$2 ;; --duration) duration=$2 ;; --concurrency) conc=$2 ;; --image) image=$2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "access_overhead.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
exe=${PIXMILL_EXE:-$repo/build/pixmill}
if [[ -z $image ]]; then
  corpus=${PIXMILL_CORPUS:-$repo/tests/fixtures}
  image=$(awk -F'\t' '$2=="photo-small" && $3=="jpeg" {print $6, $1}' "$corpus/MANIFEST.tsv" | sort -n | head -1 | cut -d' ' -f2)
  image=$corpus/$image
fi
for t in wrk redis-server sha256sum; do command -v $t >/dev/null || { echo "access_overhead.sh: $t missing" >&2; exit 2; }; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}"/pixmill-access.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() {  # python3 when there is one; else a random high port that nothing answers on
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  else
    local p
    while p=$((20000 + RANDOM % 40000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do :; done
    echo "$p"
  fi
}
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null &
pids+=($!)
key=pm_bench_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
hash=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
printf '{"plans":{"bench":{"cpu_per_minute":100000000,"images_per_month":1000000000}},"keys":[{"name":"bench","plan":"bench","sha256":"%s"}]}' "$hash" >"$tmp/keys.json"

start_server() {  # name, extra env...
  local name=$1 port; shift
  port=$(free_port)
  env HOST=127.0.0.1 PORT="$port" WORKERS="${BENCH_WORKERS:-1}" LOG_LEVEL=warn RATE_LIMIT_PER_MINUTE=0 "$@" "$exe" serve >"$tmp/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do answers "$port" && break; sleep 0.1; done
  echo "$port $!"
}
read -r port_a pid_a < <(start_server plain)
read -r port_b pid_b < <(start_server access KEYS_FILE="$tmp/keys.json" REDIS_URL="redis://127.0.0.1:$redis_port")
pids+=("$pid_a" "$pid_b")
redis_pid=${pids[0]}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {  # port, key, pid → "requests/s cpu-ms-per-request (server + redis)"
  local out t0 r0 t1 r1
  t0=$(cpu_ticks "$3"); r0=$(cpu_ticks "$redis_pid")
  out=$(BODY_FILE=$image API_KEY=$2 wrk -t1 -c"$conc" -d"${duration}s" -s "$here/raw_post.lua" \
        "http://127.0.0.1:$1/api/v1/resize?width=320")
  grep -q '^non200=0$' <<<"$out" || { echo "access_overhead.sh: non-200 answers: $out" >&2; exit 1; }
  t1=$(cpu_ticks "$3"); r1=$(cpu_ticks "$redis_pid")
  awk -v t=$((t1 - t0)) -v r=$((r1 - r0)) -v hz="$(getconf CLK_TCK)" '
    /requests in/ {n = $1} /Requests\/sec/ {rps = $2}
    END {printf "%s %.2f %.3f\n", rps, t * 1000 / hz / n, r * 1000 / hz / n}' <<<"$out"
}
run "$port_a" "" "$pid_a" >/dev/null; run "$port_b" "$key" "$pid_b" >/dev/null   # warm-up
a=() b=()
for ((i = 0; i < rounds; i++)); do
  if ((i % 2 == 0)); then ra=$(run "$port_a" "" "$pid_a"); rb=$(run "$port_b" "$key" "$pid_b")
  else rb=$(run "$port_b" "$key" "$pid_b"); ra=$(run "$port_a" "" "$pid_a"); fi
  read -r qa ca _ <<<"$ra"; read -r qb cb rcb <<<"$rb"
  a+=("$qa"); b+=("$qb"); ca_all+=("$ca"); cb_all+=("$cb"); rc_all+=("$rcb")
  echo "round $((i + 1)): plain $qa req/s ($ca ms CPU/request), keys+redis $qb req/s ($cb ms CPU/request + redis $rcb ms)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "image $(basename "$image"), C=$conc, ${duration}s x $rounds rounds, WORKERS=${BENCH_WORKERS:-1}"
echo "median CPU per request: plain $(median "${ca_all[@]}") ms, keys+redis $(median "${cb_all[@]}") ms + redis-server $(median "${rc_all[@]}") ms"
echo "median plain $ma req/s, keys+redis $mb req/s, throughput ratio $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b / a}') (overhead $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.1f%%", (a - b) / a * 100}'))"
