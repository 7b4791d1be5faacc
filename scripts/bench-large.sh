#!/usr/bin/env bash
# End-to-end benchmarks of large attributes (docs/BENCHMARKS.md, "Large
# attributes end to end"). Starts what it needs on free loopback ports,
# runs bench/large_e2e, and stops exactly the processes it started (by PID).
#
#   scripts/bench-large.sh [BUILD_DIR]     # default: build-rel
#
# BUILD_DIR must hold bench/large_e2e and bench/latency_proxy, built in
# Release with -DDYNAMATE_BUILD_BENCH=ON (see docs/BENCHMARKS.md).
# Servers: DynamoDB Local in memory and moto (through scripts/local-aws.sh),
# s3rver 3.7.1 (npm, installed on first use under $DYNAMATE_TOOLS_DIR, by
# default ~/.cache/dynamate/s3rver), and three latency_proxy processes (+20 ms
# per S3 request in front of s3rver and of moto, +5 ms per DynamoDB request).
# Environment: BENCH_ITEMS (items per operation, default 100), BENCH_PROXY_ITEMS
# (default 30), BENCH_STREAM_SIZES (bytes, default "268435456 1073741824"),
# BENCH_WORK (scratch dir, default a new one under /tmp; removed at the end).
# Takes 2-3 minutes on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-rel}
e2e=$build/bench/large_e2e
proxy=$build/bench/latency_proxy
tools=${DYNAMATE_TOOLS_DIR:-$HOME/.cache/dynamate}
items=${BENCH_ITEMS:-100}
proxy_items=${BENCH_PROXY_ITEMS:-30}
sizes=${BENCH_STREAM_SIZES:-"268435456 1073741824"}
work=${BENCH_WORK:-$(mktemp -d /tmp/dynamate-bench-large.XXXXXX)}
s3rver_pkg=s3rver@3.7.1

log() { echo "bench-large: $*" >&2; }
for b in "$e2e" "$proxy"; do
  [ -x "$b" ] || { log "$b not found: build it (docs/BENCHMARKS.md)"; exit 1; }
done
mkdir -p "$work/aws" "$work/s3rver-data" "$work/stream"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_http() {  # url pid name: any HTTP status means the server is up
  local url=$1 pid=$2 name=$3
  for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || { log "$name exited; its log:"; tail -n 20 "$work/$name.log" >&2; return 1; }
    [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" || true)" != 000 ] && return 0
    sleep 0.05
  done
  log "$name did not answer on $url"; return 1
}

pids=()
proxy_pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  done
  "$root/scripts/local-aws.sh" stop "$work/aws" || true
  if [ -z "${BENCH_WORK:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# DynamoDB Local (in memory, -sharedDb) and moto, as the tests run them.
"$root/scripts/local-aws.sh" start "$work/aws"
# shellcheck disable=SC1091
. "$work/aws/env"
ddb_pid=$(cat "$work/aws/dynamodb.pid")
moto_pid=$(cat "$work/aws/moto.pid")

# s3rver: its access key must be S3RVER; node 17+ needs the legacy provider.
s3rver_js=$tools/s3rver/node_modules/s3rver/bin/s3rver.js
if [ ! -f "$s3rver_js" ]; then
  log "installing $s3rver_pkg into $tools/s3rver"
  npm install --prefix "$tools/s3rver" --no-audit --no-fund --loglevel=error "$s3rver_pkg" >&2
fi
s3rver_port=$(free_port)
node --openssl-legacy-provider "$s3rver_js" -d "$work/s3rver-data" -a 127.0.0.1 -p "$s3rver_port" \
  --silent --service-endpoint localhost >"$work/s3rver.log" 2>&1 </dev/null &
s3rver_pid=$!
pids+=("$s3rver_pid")
wait_http "http://127.0.0.1:$s3rver_port/" "$s3rver_pid" s3rver

# Latency proxies.
start_proxy() {  # name upstream-port delay-ms: sets $proxy_port
  "$proxy" --upstream "127.0.0.1:$2" --delay-ms "$3" --port-file "$work/$1.port" \
    >/dev/null 2>"$work/$1.log" </dev/null &
  pids+=("$!")
  proxy_pids+=("$!")
  for _ in $(seq 1 200); do [ -s "$work/$1.port" ] && break; sleep 0.02; done
  proxy_port=$(cat "$work/$1.port")
}
start_proxy proxy-s3rver "$s3rver_port" 20; s3rver_proxy=http://127.0.0.1:$proxy_port
start_proxy proxy-moto "${S3_ENDPOINT##*:}" 20; moto_proxy=http://127.0.0.1:$proxy_port
start_proxy proxy-ddb "${DYNAMODB_ENDPOINT##*:}" 5; ddb_proxy=http://127.0.0.1:$proxy_port

echo "# bench-large $(date -u +%FT%TZ), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "# DynamoDB Local $DYNAMODB_ENDPOINT (pid $ddb_pid), s3rver :$s3rver_port (pid $s3rver_pid)," \
  "moto $S3_ENDPOINT (pid $moto_pid)"

s3rver_args=(--ddb "$DYNAMODB_ENDPOINT" --s3 "http://127.0.0.1:$s3rver_port" --s3-pid "$s3rver_pid"
  --ddb-pid "$ddb_pid")
set -x
"$e2e" crud "${s3rver_args[@]}" --items "$items" --label "DynamoDB Local + s3rver"
"$e2e" crud "${s3rver_args[@]}" --items "$items" --gzip --label "DynamoDB Local + s3rver, gzip text"
"$e2e" crud --ddb "$DYNAMODB_ENDPOINT" --s3 "$S3_ENDPOINT" --s3-key testing --s3-secret testing \
  --s3-pid "$moto_pid" --ddb-pid "$ddb_pid" --items "$items" --label "DynamoDB Local + moto"
"$e2e" crud --ddb "$ddb_proxy" --s3 "$s3rver_proxy" --s3-pid "$s3rver_pid" --ddb-pid "$ddb_pid" \
  --items "$proxy_items" --warmup 4 --proxy-delays 20,5 \
  --label "through latency_proxy: +20 ms per S3 request (s3rver), +5 ms per DynamoDB request"
"$e2e" crud --ddb "$ddb_proxy" --s3 "$moto_proxy" --s3-key testing --s3-secret testing \
  --s3-pid "$moto_pid" --ddb-pid "$ddb_pid" --items "$proxy_items" --warmup 4 --proxy-delays 20,5 \
  --label "through latency_proxy: +20 ms per S3 request (moto), +5 ms per DynamoDB request"
{ set +x; } 2>/dev/null

echo
echo "| value | save: time, client CPU | save peak RSS MiB | get + download_to_file: time, client CPU | read peak RSS MiB | process max RSS MiB | RSS after start MiB |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -v -o "$work/time.txt")  # Debian package "time"
for size in $sizes; do
  "${timer[@]}" "$e2e" stream "${s3rver_args[@]}" --size "$size" --dir "$work/stream" --label s3rver
  if [ -f "$work/time.txt" ]; then
    grep -E 'Maximum resident set size' "$work/time.txt" | sed 's/^\s*/  \/usr\/bin\/time -v: /'
  fi
done
echo "# done $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The proxies' request and connection counts (printed when they stop).
for pid in "${proxy_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${proxy_pids[@]}"; do
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
done
cat "$work"/proxy-*.log
