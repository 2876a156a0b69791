# Shared by the bench/*.sh scripts: sourced from the repository root.

# A JDK 25 or later: JAVA_HOME when it is one, else the first found where Maven's toolchain
# discovery looks (JAVA*_HOME variables, /usr/lib/jvm, /usr/java, /opt/java, SDKMAN, ~/.jdks).
find_jdk() {
  local candidate version
  # shellcheck disable=SC2046
  for candidate in "${JAVA_HOME:-}" $(env | sed -n 's/^JAVA[0-9]*_HOME=//p') /usr/lib/jvm/* \
    /usr/java/* /opt/java/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.m2/jdks/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java.specification.version = //p')
    if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
JAVA_HOME=$(find_jdk) || {
  echo "No JDK 25 found: install one (Eclipse Temurin 25 or OpenJDK 25, for example under /usr/lib/jvm) or set JAVA_HOME to one, then run the command again." >&2
  exit 1
}
export JAVA_HOME
SHARP_VERSION=0.35.5
SHARP_DIR=target/bench-node
QUALITY=50
THREADS=2

# The jar and the benchmark classes beside it (target/bench-classes, from src/bench/java), rebuilt
# when any source is newer than the jar.
ensure_jar() {
  if [ ! -f target/imgpress.jar ] || [ ! -d target/bench-classes ] ||
    [ -n "$(find src pom.xml -newer target/imgpress.jar -print -quit)" ]; then
    echo "building target/imgpress.jar and target/bench-classes ..." >&2
    ./mvnw -q -B -ntp -DskipTests package >&2
  fi
}

# sharp from npm, installed once into a temporary folder and kept under target/ for later runs.
ensure_sharp() {
  local have=""
  [ -f "$SHARP_DIR/node_modules/sharp/package.json" ] &&
    have=$(node -p "require('./$SHARP_DIR/node_modules/sharp/package.json').version")
  if [ "$have" != "$SHARP_VERSION" ]; then
    echo "installing sharp@$SHARP_VERSION from npm ..." >&2
    local tmp
    tmp=$(mktemp -d target/bench-node.XXXXXX)
    npm install --no-save --no-audit --no-fund --prefix "$tmp" "sharp@$SHARP_VERSION" >&2
    rm -rf "$SHARP_DIR" && mv "$tmp" "$SHARP_DIR"
  fi
}

# The JPEG files to measure, one per line: those of DIR, or the generated sample images.
bench_images() {
  local dir=$1
  if [ -z "$dir" ]; then
    dir=target/bench-images
    codec_bench generate "$dir" >&2
  fi
  find "$dir" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort
}

# io.imgpress.bench.CodecBench from target/bench-classes, on the service's classes and libraries in
# the jar; BENCH_JAVA_OPTS adds JVM options (e.g. JFR).
codec_bench() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} \
    -Dloader.path=target/bench-classes -Dloader.main=io.imgpress.bench.CodecBench \
    -cp target/imgpress.jar org.springframework.boot.loader.launch.PropertiesLauncher "$@"
}

# BENCH_CMD: the command line (an array) that runs the main class io.imgpress.bench.$1 like
# codec_bench does, without options of its own. Run it as "${BENCH_CMD[@]}" ARGS & and $! is the
# JVM itself, whose CPU time and memory can then be read from /proc/$!.
bench_cmd() {
  BENCH_CMD=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED
    -Dloader.path=target/bench-classes "-Dloader.main=io.imgpress.bench.$1"
    -cp target/imgpress.jar org.springframework.boot.loader.launch.PropertiesLauncher)
}

load1() { cut -d' ' -f1 /proc/loadavg; }

machine_info() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/^Mem:/ {print $2}') GB RAM"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); node: $(node --version)"
  echo "uptime: $(uptime)"
}
