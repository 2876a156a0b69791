# Shared by bench/pipeline.sh and bench/load.sh: the loopback origin, the service in each variant's
# shape (embedded, pg-s3, split, pg-redis-s3) and its backends (PostgreSQL, S3Proxy, Redis).
# Sourced from the repository root after bench/lib.sh. The caller defines:
#   work (a temporary folder), jar, service_java_opts, bench_pg, workers;
#   apps=() origin="" s3proxy="" redis="" database="" (what is running, for its cleanup).
# start_process takes SERVICE_PORT and SERVICE_DATA when set (a restart on the same port and data
# dir); otherwise a free port and a fresh data dir under $work. It sets $node and $node_data.
stop() { # PID: stop it and wait for it, whatever state it is in
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
stop_services() {
  local pid
  for pid in "${apps[@]}"; do stop "$pid"; done
  apps=()
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mb() { # PIDS...: their peak RSS added up
  local pid
  for pid in "$@"; do awk '/^VmHWM:/ {print $2}' "/proc/$pid/status"; done |
    awk '{ kb += $1 } END { printf "%.1f", kb / 1024 }'
}
joined() { local IFS=,; echo "$*"; }

# --- shared backends (VARIANTS pg-s3 and split) ---
s3_key=imgpress-bench-key
s3_secret=imgpress-bench-secret
start_s3proxy() {
  [ -f target/s3proxy/s3proxy.jar ] || ./mvnw -q -B -ntp generate-test-resources >&2
  mkdir -p "$work/s3/data"
  printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:0" "s3proxy.authorization=aws-v2-or-v4" \
    "s3proxy.identity=$s3_key" "s3proxy.credential=$s3_secret" "jclouds.provider=filesystem-nio2" \
    "jclouds.filesystem.basedir=$work/s3/data" >"$work/s3/s3proxy.conf"
  "$JAVA_HOME/bin/java" -Xmx512m -jar target/s3proxy/s3proxy.jar --properties "$work/s3/s3proxy.conf" \
    >"$work/s3/s3proxy.log" 2>&1 &
  s3proxy=$!
  for _ in $(seq 1 600); do
    s3_port=$(sed -n 's/.*Started .*ServerConnector@.*{127\.0\.0\.1:\([0-9]*\)}.*/\1/p' "$work/s3/s3proxy.log" | head -1)
    [ -n "$s3_port" ] && return 0
    kill -0 "$s3proxy" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/s3/s3proxy.log" >&2
  echo "S3Proxy did not start" >&2
  exit 1
}
start_redis() {
  command -v redis-server >/dev/null || { echo "pg-redis-s3 needs redis-server (apt-get install redis-server)" >&2; exit 1; }
  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$work" >"$work/redis.log" 2>&1 &
  redis=$!
  for _ in $(seq 1 100); do
    redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  cat "$work/redis.log" >&2
  echo "redis-server did not start" >&2
  exit 1
}
# A fresh database and bucket for one scenario; BACKEND_ARGS then names them.
fresh_backends() { # NAME
  drop_database
  database=imgpress_bench_$1_$$_$RANDOM
  psql -q "$bench_pg" -c "create database $database" >/dev/null
  local bucket=bench-$1-$$-$RANDOM
  # The SHA-256 of the empty body: curl leaves that header out, and S3Proxy wants it.
  curl -sf -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$s3_key:$s3_secret" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://127.0.0.1:$s3_port/$bucket" >/dev/null || { echo "could not create bucket $bucket" >&2; exit 1; }
  local host_port=${bench_pg#*@}
  host_port=${host_port%%/*}
  BACKEND_ARGS=(--imgpress.store=postgres "--spring.datasource.url=jdbc:postgresql://$host_port/$database"
    "--spring.datasource.username=$(sed -n 's|^postgresql://\([^@:]*\).*|\1|p' <<<"$bench_pg")"
    --imgpress.storage=s3 "--imgpress.storage.s3.bucket=$bucket"
    "--imgpress.storage.s3.endpoint=http://127.0.0.1:$s3_port" --imgpress.storage.s3.path-style=true
    --imgpress.storage.s3.region=us-east-1)
}
drop_database() {
  [ -n "$database" ] || return 0
  psql -q "$bench_pg" -c "drop database if exists $database with (force)" >/dev/null 2>&1 || true
  database=""
}
backend_pids() { # S3Proxy's, Redis's and PostgreSQL's processes now running
  joined "$s3proxy" $redis $(pgrep -u postgres postgres || true)
}

# Distinct generated images, cached between runs under target/bench-images/pipeline.
generate() { # KIND DIR COUNT -> the IMAGES line
  bench_cmd BenchImages
  "${BENCH_CMD[@]}" "$1" "$2" "$3" | grep '^IMAGES '
}
start_origin() { # DIR DELAY_MS
  local try
  for try in 1 2; do
    bench_cmd BenchOrigin
    "${BENCH_CMD[@]}" "$1" --delay-ms "$2" >"$work/origin.out" 2>"$work/origin.err" &
    origin=$!
    for _ in $(seq 1 600); do
      grep -q '^READY ' "$work/origin.out" && break
      kill -0 "$origin" 2>/dev/null || { cat "$work/origin.err" >&2; echo "origin failed to start" >&2; exit 1; }
      sleep 0.1
    done
    origin_port=$(sed -n 's/^READY port=\([0-9]*\).*/\1/p' "$work/origin.out")
    [ -z "$origin_port" ] || return 0
    # Seen twice in 27 starts, never reproduced alone: say what the origin was doing, start again.
    echo "origin (pid $origin) not ready within 60 s, try $try; its state and threads:" >&2
    grep -E '^(State|Threads)' "/proc/$origin/status" >&2 || true
    "$JAVA_HOME/bin/jstack" "$origin" 2>&1 | grep -A6 '"main"' >&2 || true
    stop "$origin"
    origin=""
  done
  echo "origin did not start" >&2
  exit 1
}

# Whether PID itself listens on PORT: between free_port and the JVM binding it, another program
# (another benchmark on this machine) may take the port, and its answers are not this service's.
listens() { # PID PORT
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$2" 2>/dev/null | grep -q "pid=$1,"
}

# One process of the service; its pid is added to apps, its URL is $node.
start_process() { # NAME ARGS...
  local name=$1 port data pid
  shift
  port=${SERVICE_PORT:-$(free_port)}
  data=${SERVICE_DATA:-$(mktemp -d "$work/data-$name-XXXX")}
  node_data=$data
  # shellcheck disable=SC2086
  AWS_ACCESS_KEY_ID=$s3_key AWS_SECRET_ACCESS_KEY=$s3_secret IMGPRESS_WEBHOOK_SECRET=bench-secret \
    "$JAVA_HOME/bin/java" $service_java_opts -jar "$jar" --server.port="$port" --imgpress.data-dir="$data" \
    --imgpress.fetch.allow-private-networks=true "$@" ${SERVICE_ARGS:-} >>"$work/app-$name.log" 2>&1 &
  pid=$!
  apps+=("$pid")
  node=http://127.0.0.1:$port
  for _ in $(seq 1 480); do
    curl -sf "$node/actuator/health/readiness" >/dev/null && listens "$pid" "$port" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  tail -40 "$work/app-$name.log" >&2
  echo "the service did not get ready (log above)" >&2
  exit 1
}

# The service in the variant's shape; $base is where uploads go.
start_service() { # NAME VARIANT
  case $2 in
    embedded) start_process "$1" ;;
    pg-s3)
      fresh_backends "$1"
      start_process "$1" "${BACKEND_ARGS[@]}"
      ;;
    pg-redis-s3)
      fresh_backends "$1"
      start_process "$1" "${BACKEND_ARGS[@]}" --imgpress.queue=redis \
        "--spring.data.redis.url=redis://127.0.0.1:$redis_port" \
        "--imgpress.queue.redis.key-prefix=bench-$1-$$-$RANDOM:"
      ;;
    split)
      fresh_backends "$1"
      start_process "$1-api" "${BACKEND_ARGS[@]}" --imgpress.role=api
      local api=$node w
      # Workers on one machine share its cores, as an operator would set them: codec threads
      # split between them (at least 1 each) rather than one per core in each.
      local threads=$(($(nproc) / workers))
      [ "$threads" -ge 1 ] || threads=1
      for w in $(seq 1 "$workers"); do
        start_process "$1-worker$w" "${BACKEND_ARGS[@]}" --imgpress.role=worker \
          --imgpress.processing.workers="$threads"
      done
      node=$api
      ;;
  esac
  base=$node
}

