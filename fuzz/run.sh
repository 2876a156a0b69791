#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer (libFuzzer for the JVM), one target at a time.
#
#   fuzz/run.sh TARGET [SECONDS]     TARGET: csv | guard | image; SECONDS: 180 by default
#
# The harnesses (src/test/java/.../*Fuzzer.java) compile with the tests; their committed inputs
# (src/test/resources/fuzz/TARGET) are replayed by FuzzRegressionTest on every build. This script
# is not part of the build: it fetches Jazzer from Maven Central the first time, fuzzes from the
# committed inputs into target/fuzz/TARGET/corpus, and leaves any crashing input in
# target/fuzz/TARGET (crash-*): copy it to src/test/resources/fuzz/TARGET/ with a fix.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: fuzz/run.sh csv|guard|image [seconds]}
seconds=${2:-180}
case "$target" in
  csv) class=io.imgpress.intake.CsvParserFuzzer ;;
  guard) class=io.imgpress.net.OutboundGuardFuzzer ;;
  image) class=io.imgpress.processing.ImageHeaderFuzzer ;;
  *) echo "unknown target: $target" >&2; exit 2 ;;
esac
jazzer_version=0.30.0
work=target/fuzz
mkdir -p "$work/$target/corpus"

offline=${FUZZ_OFFLINE:+-o}
./mvnw -q -B -ntp $offline test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt"
for artifact in jazzer jazzer-api; do
  if [ ! -f "$work/$artifact-$jazzer_version.jar" ]; then
    ./mvnw -q -B -ntp $offline dependency:copy \
      -Dartifact="com.code-intelligence:$artifact:$jazzer_version" -DoutputDirectory="$work"
  fi
done

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
classpath="$work/jazzer-$jazzer_version.jar:$work/jazzer-api-$jazzer_version.jar"
classpath="$classpath:target/test-classes:target/classes:$(cat "$work/classpath.txt")"
# -rss_limit_mb: the JVM's own footprint is counted; -timeout: one input slower than 10 s is a
# finding too. The new corpus goes first, the committed inputs are read as seeds.
cd "$work/$target"
exec "$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$(echo "$classpath" | sed "s#\(^\|:\)target/#\1../../#g")" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class="$class" \
  --instrumentation_includes='io.imgpress.**' \
  -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 \
  corpus "../../../src/test/resources/fuzz/$target"
