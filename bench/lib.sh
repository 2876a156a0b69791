# Shared by bench/codec.sh and bench/e2e.sh: sourced from the repository root.
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SHARP_VERSION=0.35.5
SHARP_DIR=target/bench-node
QUALITY=50
THREADS=2

# The jar, rebuilt when any source is newer than it.
ensure_jar() {
  if [ ! -f target/imgpress.jar ] || [ -n "$(find src pom.xml -newer target/imgpress.jar -print -quit)" ]; then
    echo "building target/imgpress.jar ..." >&2
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

# io.imgpress.bench.CodecBench from the jar; BENCH_JAVA_OPTS adds JVM options (e.g. JFR).
codec_bench() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} \
    -Dloader.main=io.imgpress.bench.CodecBench -cp target/imgpress.jar \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
}

load1() { cut -d' ' -f1 /proc/loadavg; }

machine_info() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/^Mem:/ {print $2}') GB RAM"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); node: $(node --version)"
  echo "uptime: $(uptime)"
}
