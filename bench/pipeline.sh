#!/usr/bin/env bash
# The staged pipeline's goals (issue 10) in one run, through the running service:
#
#   ./bench/pipeline.sh [DIR]     DIR: the photos scenario's JPEGs; default ../shared/corpus
#   ROUNDS=1 SCENARIOS="near far tiny tiny4x photos" REPEAT=2 WARMUP=all ./bench/pipeline.sh
#   SERVICE_ARGS="--imgpress.fetch.max-concurrent-per-host=16" SERVICE_JAVA_OPTS=-Xmx1g JAR=old.jar
#   VARIANTS="embedded pg-s3 split" SCENARIOS="near far" ./bench/pipeline.sh
#   (SERVICE_JAVA_OPTS defaults to -Xmx1g; set it to "" for the JVM's own heap size)
#
# Scenarios, each on a fresh `java -jar target/imgpress.jar` (JAR=path for another build: a
# temporary data dir, --imgpress.fetch.allow-private-networks=true, SERVICE_ARGS; engine and
# workers are the defaults) and a fresh loopback origin (io.imgpress.bench.BenchOrigin, its own
# JVM, files served from memory, one virtual thread per request):
#   near    600 distinct 800x533 photo-like JPEGs (BenchImages), no added latency
#   far     the same 600, the origin waiting FAR_DELAY_MS (200) before every response
#   tiny    2,000 distinct 8x8 JPEGs;  tiny4x: 8,000 of them (does memory grow with images?)
#   photos  DIR's JPEGs, each listed REPEAT (2) times under distinct URLs (?copy=n); in the same
#           round, on the same files and passes: the bare codec (CodecBench, native, 2 threads)
#           and sharp (sharp.concurrency(1), 2 in flight, as codec.sh runs it)
# Every URL of an upload is distinct, so nothing can come from a cache. Before the timed upload,
# an untimed one of the same images under other URLs (?warmup=1) warms the JIT, as a service that
# has run for a while is (WARMUP=n: only the first n images; 0: none). Without it the C1 and C2
# compilers take a third of the CPU of a 2,000-image upload. The timed upload runs from POST /upload to a final
# /status?page=0&size=1, polled every 100 ms (bench/e2e_upload.py). Recorded: seconds, images/s,
# MP/s, the service's and the origin's CPU seconds over the upload (/proc/PID/stat), and the
# service's peak RSS (VmHWM) at the end of the scenario. ROUNDS>1: medians over the rounds.
# Raw lines go to target/bench-results/pipeline-*.txt; bench/report.py prints the table and goals.
#
# VARIANTS (default "embedded") runs each scenario on each of these, in turn, in the same round:
#   embedded  H2 file + local files, one process (the default service)
#   pg-s3     PostgreSQL + S3, one process of role all
#   split     PostgreSQL + S3, one process of role api and WORKERS (2) of role worker, each
#             worker with cores / WORKERS codec threads (imgpress.processing.workers, at least 1)
#   pg-redis-s3  as pg-s3, with the jobs in Redis Streams (imgpress.queue=redis) on a redis-server
#             this script starts on a free port (no persistence), fed from PostgreSQL's outbox
# PostgreSQL: a fresh database per scenario on the server psql reaches with BENCH_PG (default
# postgresql://postgres@127.0.0.1:5432/postgres), dropped after it. S3: S3Proxy (the jar the build
# copies to target/s3proxy/, as the tests run it), one server per run on a folder of its own, a fresh
# bucket per scenario. backend CPU-s = PostgreSQL's and S3Proxy's processes over the upload.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${ROUNDS:-1}
read -r -a scenarios <<<"${SCENARIOS:-near far tiny tiny4x photos}"
repeat=${REPEAT:-2}
warmup=${WARMUP:-all}
# A fixed heap, as a deployment sets one: without it the JVM may take a quarter of the machine's
# memory, and peak RSS would show how far the heap grew, not what the service holds.
service_java_opts=${SERVICE_JAVA_OPTS--Xmx1g}
far_delay=${FAR_DELAY_MS:-200}
near_images=${NEAR_IMAGES:-600}
tiny_images=${TINY_IMAGES:-2000}
jar=${JAR:-target/imgpress.jar}
read -r -a variants <<<"${VARIANTS:-embedded}"
workers=${WORKERS:-2}
bench_pg=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432/postgres}
images_root=target/bench-images/pipeline

for s in "${scenarios[@]}"; do
  case $s in near | far | tiny | tiny4x | photos) ;; *)
    echo "unknown scenario '$s': SCENARIOS takes near far tiny tiny4x photos" >&2
    exit 1
    ;;
  esac
done
wants() { case " ${scenarios[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac }
shared_backends=""
for v in "${variants[@]}"; do
  case $v in
    embedded) ;;
    pg-s3 | split | pg-redis-s3) shared_backends=yes ;;
    *)
      echo "unknown variant '$v': VARIANTS takes embedded pg-s3 split pg-redis-s3" >&2
      exit 1
      ;;
  esac
done

# The bench classes and the bare codec always come from this tree, even when JAR names another.
ensure_jar
[ -f "$jar" ] || { echo "no jar at $jar" >&2; exit 1; }

corpus=${1:-${DIR:-}}
if [ -z "$corpus" ]; then
  corpus=../shared/corpus
  # In a linked worktree, ../shared is beside the main one.
  if [ ! -d "$corpus" ] && common=$(git rev-parse --git-common-dir 2>/dev/null); then
    [ -d "$(dirname "$common")/../shared/corpus" ] && corpus=$(dirname "$common")/../shared/corpus
  fi
fi
photos=()
if wants photos; then
  ensure_sharp
  mapfile -t photos < <(find "$corpus" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) 2>/dev/null | sort)
  [ "${#photos[@]}" -gt 0 ] || { echo "no JPEGs in $corpus (set DIR or pass a folder)" >&2; exit 1; }
fi

mkdir -p target/bench-results
results=target/bench-results/pipeline-$(date +%Y%m%d-%H%M%S).txt
work=$(mktemp -d)
apps=()
origin=""
s3proxy=""
redis=""
database=""
source bench/services.sh
# Never stops half-way: under set -e a failing kill or wait would leave the origin running.
cleanup() {
  stop_services
  if [ -n "$origin" ]; then stop "$origin"; fi
  if [ -n "$s3proxy" ]; then stop "$s3proxy"; fi
  if [ -n "$redis" ]; then stop "$redis"; fi
  drop_database
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
photo_dir=$images_root/photos-800x533
tiny_dir=$images_root/tiny-8x8
tiny_max=0
wants tiny && tiny_max=$tiny_images
wants tiny4x && tiny_max=$((4 * tiny_images))
{
  echo "# pipeline benchmark $(date -Iseconds): ./bench/pipeline.sh ${1:-} (ROUNDS=$rounds SCENARIOS=\"${scenarios[*]}\" REPEAT=$repeat WARMUP=$warmup FAR_DELAY_MS=$far_delay JAR=$jar)"
  echo "service: java $service_java_opts -jar $jar --imgpress.fetch.allow-private-networks=true ${SERVICE_ARGS:-}"
  machine_info
  if wants near || wants far; then generate photos "$photo_dir" "$near_images"; fi
  if [ "$tiny_max" -gt 0 ]; then generate tiny "$tiny_dir" "$tiny_max"; fi
  if wants photos; then echo "photos: ${#photos[@]} JPEGs from $corpus, each listed $repeat time(s), quality $QUALITY"; fi
} | tee "$results"

# CSV of generated files PREFIX-00001.jpg ... (FIRST..LAST), each URL with QUERY appended.
generated_csv() { # PREFIX FIRST LAST QUERY
  echo "S. No.,Product Name,Input Image Urls"
  seq "$2" "$3" | awk -v base="http://127.0.0.1:$origin_port" -v prefix="$1" -v query="$4" \
    '{ printf "%d,SKU %d,%s/%s-%05d.jpg%s\n", NR, NR, base, prefix, $1, query }'
}

# CSV of DIR's photos: COUNT files, each listed TIMES times, every URL distinct (QUERY=n).
photos_csv() { # QUERY COUNT TIMES
  python3 - "http://127.0.0.1:$origin_port" "$1" "$2" "$3" "${photos[@]}" <<'PY'
import os, sys, urllib.parse
base, query, count, times, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
print("S. No.,Product Name,Input Image Urls")
n = 0
for t in range(1, times + 1):
    for f in files[:count]:
        n += 1
        print(f"{n},SKU {n},{base}/{urllib.parse.quote(os.path.basename(f))}?{query}={t}")
PY
}

# Megapixels of the JPEGs given (from their frame headers), for the photos scenario's MP/s.
jpeg_mp() {
  python3 - "$@" <<'PY'
import struct, sys
total = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    i = 2
    while i + 9 < len(data):  # the segments before the frame header all carry a length
        if data[i + 1] == 0xFF:  # fill byte
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            total += w * h
            break
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
print(f"{total / 1e6:.3f}")
PY
}

# Images in the warm-up upload: WARMUP, at most the timed upload's; "all": as many as it has.
warm_count() { # TIMED_IMAGES
  if [ "$warmup" = all ] || [ "$warmup" -gt "$1" ]; then echo "$1"; else echo "$warmup"; fi
}

# One scenario: origin and service started fresh, the untimed warm-up, the timed upload, both
# stopped. MP is the megapixels of the timed upload's images.
scenario() { # NAME ORIGIN_DIR DELAY_MS IMAGES MP VARIANT
  local name=$1 variant=${6:-embedded} before line rss backends=""
  start_origin "$2" "$3"
  start_service "$name" "$variant"
  [ "$variant" = embedded ] || backends=$(backend_pids)
  case $name in
    photos)
      photos_csv copy "${#photos[@]}" "$repeat" >"$work/timed.csv"
      photos_csv warmup "$(warm_count "${#photos[@]}")" "$([ "$warmup" = all ] && echo "$repeat" || echo 1)" >"$work/warmup.csv"
      ;;
    tiny | tiny4x)
      generated_csv tiny 1 "$4" "" >"$work/timed.csv"
      generated_csv tiny 1 "$(warm_count "$4")" "?warmup=1" >"$work/warmup.csv"
      ;;
    *)
      generated_csv photo 1 "$4" "" >"$work/timed.csv"
      generated_csv photo 1 "$(warm_count "$4")" "?warmup=1" >"$work/warmup.csv"
      ;;
  esac
  if [ "$warmup" != 0 ]; then
    STATUS_QUERY='?page=0&size=1' python3 bench/e2e_upload.py "$base" "$work/warmup.csv" warmup >/dev/null
  fi
  before=$(load1)
  line=$(STATUS_QUERY='?page=0&size=1' python3 bench/e2e_upload.py "$base" "$work/timed.csv" timed "$(joined "${apps[@]}")" "$origin" $backends)
  rss=$(rss_mb "${apps[@]}")
  echo "PIPE scenario=$name variant=$variant round=$round images=$4 mp=$5 delay_ms=$3 ${line#E2E phase=timed } rss_mb=$rss load_before=$before load_after=$(load1)" | tee -a "$results"
  echo "  service codec: $(curl -s "$node/actuator/info" | sed -n 's/.*"codec":\({[^}]*}\).*/\1/p')" | tee -a "$results"
  stop_services
  drop_database
  stop "$origin"
  origin=""
}

bare_native() {
  local before line
  before=$(load1)
  line=$(codec_bench --engine native --threads "$THREADS" --quality "$QUALITY" --passes "$repeat" "${photos[@]}" 2>"$work/bare.err" | grep -E '^(RESULT|UNAVAILABLE) ' || true)
  [ -n "$line" ] || { cat "$work/bare.err" >&2; echo "bare codec failed" >&2; exit 1; }
  echo "$line scenario=photos round=$round load_before=$before load_after=$(load1)" | tee -a "$results"
}

bare_sharp() {
  local before line
  before=$(load1)
  line=$(node bench/sharp-bench.cjs "$SHARP_DIR" c1 "$QUALITY" "$repeat" "${photos[@]}" 2>"$work/sharp.err" | grep '^RESULT ' || true)
  [ -n "$line" ] || { cat "$work/sharp.err" >&2; echo "sharp failed" >&2; exit 1; }
  echo "$line scenario=photos round=$round load_before=$before load_after=$(load1)" | tee -a "$results"
}

photo_mp=$(awk -v n="$near_images" -v w=800 -v h=533 'BEGIN { printf "%.3f", n * w * h / 1e6 }')
tiny_mp() { awk -v n="$1" 'BEGIN { printf "%.3f", n * 64 / 1e6 }'; }
corpus_mp=""
if wants photos; then corpus_mp=$(awk -v mp="$(jpeg_mp "${photos[@]}")" -v r="$repeat" 'BEGIN { printf "%.3f", mp * r }'); fi

if [ -n "$shared_backends" ]; then
  psql -q "$bench_pg" -c 'select 1' >/dev/null || { echo "no PostgreSQL at BENCH_PG=$bench_pg" >&2; exit 1; }
  start_s3proxy
  case " ${variants[*]} " in *" pg-redis-s3 "*) start_redis ;; esac
  echo "backends: PostgreSQL $(psql -tA "$bench_pg" -c 'show server_version'), S3Proxy on port $s3_port${redis:+, Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on port $redis_port}; variants: ${variants[*]} (split: 1 api + $workers workers)" | tee -a "$results"
fi

for round in $(seq 1 "$rounds"); do
  for s in "${scenarios[@]}"; do
    for v in "${variants[@]}"; do
    case $s in
      near) scenario near "$photo_dir" 0 "$near_images" "$photo_mp" "$v" ;;
      far) scenario far "$photo_dir" "$far_delay" "$near_images" "$photo_mp" "$v" ;;
      tiny) scenario tiny "$tiny_dir" 0 "$tiny_images" "$(tiny_mp "$tiny_images")" "$v" ;;
      tiny4x) scenario tiny4x "$tiny_dir" 0 "$((4 * tiny_images))" "$(tiny_mp $((4 * tiny_images)))" "$v" ;;
      photos)
        # Interleaved: odd rounds measure the bare codecs first, even rounds the service first.
        if [ $((round % 2)) -eq 1 ]; then
          if [ "$v" = "${variants[0]}" ]; then bare_native; bare_sharp; fi
          scenario photos "$corpus" 0 "$((repeat * ${#photos[@]}))" "$corpus_mp" "$v"
        else
          scenario photos "$corpus" 0 "$((repeat * ${#photos[@]}))" "$corpus_mp" "$v"
          if [ "$v" = "${variants[-1]}" ]; then bare_sharp; bare_native; fi
        fi
        ;;
    esac
    done
  done
done
echo "uptime at end: $(uptime)" | tee -a "$results"
python3 bench/report.py pipeline "$results" | tee -a "$results"
echo "raw results: $results"
