#!/usr/bin/env bash
# Mutation testing (PIT), one feature package at a time, each measured with its own tests only.
#
#   .ci/pit.sh                      # all: intake net request queue webhook processing
#   .ci/pit.sh intake net           # just these
#   PIT_SURVIVORS=1 .ci/pit.sh net  # also list the mutants no test detected
#
# A package's figure covers its adapter subpackages too (request + request.jdbc, ...); the codec
# adapters (processing.imageio, processing.vips) and io.imgpress.bench are left out (see the `pit`
# profile in pom.xml). Each package takes some minutes on 2 cores (PIT's own incremental history
# is no longer in the open-source release). Reports: target/pit-reports/<package>/index.html.
# It reports, it never fails: the goal (>= 85% per package) is read off the table.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(intake net request queue webhook processing)
fi

mkdir -p target/pit-reports
./mvnw -B -ntp -q -Ppit test-compile

for p in "${packages[@]}"; do
  echo "PIT: io.imgpress.$p (log: target/pit-reports/$p.log)" >&2
  if ! ./mvnw -B -ntp -Ppit org.pitest:pitest-maven:mutationCoverage \
    -Dpit.classes="io.imgpress.$p.*" -Dpit.tests="io.imgpress.$p.*" \
    -Dpit.reports="target/pit-reports/$p" \
    >"target/pit-reports/$p.log" 2>&1; then
    echo "PIT failed for $p; see target/pit-reports/$p.log" >&2
    exit 1
  fi
done

# One line per Java package: mutants, detected (killed or timed out), survived, not covered.
printf '%-30s %8s %8s %8s %8s %7s\n' package mutants killed survived no-cov killed%
for p in "${packages[@]}"; do
  awk -v survivors="${PIT_SURVIVORS:-0}" '
    /<mutation / {
      cls = $0; sub(/.*<mutatedClass>/, "", cls); sub(/<\/mutatedClass>.*/, "", cls)
      pkg = cls; sub(/\.[^.]*$/, "", pkg)
      total[pkg]++
      if ($0 ~ /detected=.true./) killed[pkg]++
      else if ($0 ~ /status=.NO_COVERAGE./) nocov[pkg]++
      else survived[pkg]++
      if (survivors == "1" && $0 !~ /detected=.true./) {
        line = $0; sub(/.*<lineNumber>/, "", line); sub(/<\/lineNumber>.*/, "", line)
        desc = $0; sub(/.*<description>/, "", desc); sub(/<\/description>.*/, "", desc)
        status = $0; sub(/.*status=./, "", status); sub(/[^A-Z_].*/, "", status)
        lost[++n] = sprintf("    %-12s %s:%s %s", status, cls, line, desc)
      }
    }
    END {
      for (pkg in total) {
        all += total[pkg]; det += killed[pkg]; sur += survived[pkg]; nc += nocov[pkg]
        printf "%-30s %8d %8d %8d %8d %6.1f%%\n", pkg, total[pkg], killed[pkg], survived[pkg], nocov[pkg], 100 * killed[pkg] / total[pkg] | "sort"
      }
      close("sort")
      if (length(total) > 1)
        printf "%-30s %8d %8d %8d %8d %6.1f%%\n", "  (all of it)", all, det, sur, nc, 100 * det / all
      for (i = 1; i <= n; i++) print lost[i]
    }' "target/pit-reports/$p/mutations.xml"
done
