#!/usr/bin/env bash
# Queue benchmark: claims per second of the real JdbcJobQueue (H2 file database, real Flyway
# schema, the application's H2 settings) with 10, 10,000 and 500,000 jobs queued, then the ratio
# of the largest size to the smallest. A claim should cost the same at any size: ratio near 1.
#
#   ./bench/queue.sh [SIZES...]            default: 10 10000 500000
#   QUEUE_THREADS=4 BENCH_SECONDS=5 WARMUP=2 ./bench/queue.sh 10 500000
#
# Each claim is what a worker does around an image: claim one job of any kind, complete it, and
# enqueue one image job at the back of its request, so that the queue keeps its size. The main
# class is io.imgpress.queue.jdbc.QueueBench from the test classes (it is not in the jar).
# Raw results go to target/bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(10 10000 500000)

./mvnw -q -B -ntp test-compile
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
mkdir -p target/bench-results
results=target/bench-results/queue-$(date +%Y%m%d-%H%M%S).txt
{
  echo "# queue benchmark $(date -Iseconds): ./bench/queue.sh ${sizes[*]}"
  echo "machine: $(nproc) cores, uptime: $(uptime)"
} | tee "$results"
# Library logging (Flyway, Hikari) goes to target/bench-results/last-queue.log.
"$JAVA_HOME/bin/java" -Xmx1g \
  -Dthreads="${QUEUE_THREADS:-4}" -Dseconds="${BENCH_SECONDS:-5}" -Dwarmup="${WARMUP:-2}" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.imgpress.queue.jdbc.QueueBench "${sizes[@]}" 2>&1 |
  tee target/bench-results/last-queue.log |
  grep --line-buffered -E '^(queue bench|RESULT|PLAN|RATIO)' | tee -a "$results"
echo "uptime at end: $(uptime)" | tee -a "$results"
echo "raw results: $results"
