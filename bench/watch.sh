#!/usr/bin/env bash
# What it costs to watch a big request: 10,000 rows x 3 URLs (30,000 images) from a loopback
# origin, against a freshly started jar (new data dir, allow-private-networks).
#
#   ./bench/watch.sh                      # ROWS=10000 URLS=3 LEGACY_SECONDS=20 BROWSER=1
#   ROWS=2000 BROWSER=0 ./bench/watch.sh  # smaller, without the browser
#
# Measured while the batch runs (bench/watch.py does the measuring):
# - the event stream a page opens, GET /status/{id}/events?since=N: events, bytes per event
#   (SSE framing included) and bytes per second for the whole batch, for one watcher;
# - for comparison, the whole-document stream (no since) for the first LEGACY_SECONDS;
# - GET /status/{id}?page=0&size=100 (the page's first request) about once a second: latency and
#   size; after the batch, 20 more of it and 3 of the whole document (GET /status/{id});
# - with BROWSER=1, the web page in headless Chromium (driven through chromedriver's HTTP API)
#   watching the request from the upload on; after it shows the request final: its JS heap after
#   a forced GC, DOM nodes, and the renderer process's resident memory.
# Raw figures go to target/bench-results/watch-*.txt. JAR=path measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
jar=${JAR:-target/imgpress.jar}
[ -n "${JAR:-}" ] || ensure_jar
mkdir -p target/bench-results
results=target/bench-results/watch-$(date +%Y%m%d-%H%M%S).txt
work=$(mktemp -d)
app=""
origin=""
# Never stops half-way: under set -e a failing kill or wait (a killed process's status) would.
cleanup() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  if [ -n "$origin" ]; then kill "$origin" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# One small photo-like JPEG (320x240), served for every URL (the query string tells them apart).
mkdir -p "$work/origin"
cat >"$work/Gen.java" <<'JAVA'
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

class Gen {
  public static void main(String[] args) throws Exception {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int y = 0; y < 240; y++) {
      g.setColor(new Color(y * 255 / 240, 90, 160));
      g.drawLine(0, y, 320, y);
    }
    g.setColor(Color.WHITE);
    g.fillOval(80, 60, 160, 120);
    g.dispose();
    ImageIO.write(image, "jpg", new File(args[0]));
  }
}
JAVA
"$JAVA_HOME/bin/java" "$work/Gen.java" "$work/origin/photo.jpg"
origin_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$work/origin" "$origin_port" >"$work/origin.log" 2>&1 &
origin=$!

port=$(free_port)
"$JAVA_HOME/bin/java" -jar "$jar" --server.port="$port" --imgpress.data-dir="$work/data" \
  --imgpress.fetch.allow-private-networks=true >"$work/app.log" 2>&1 &
app=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break
  sleep 0.5
done

{
  echo "# watch benchmark $(date -Iseconds): ./bench/watch.sh (ROWS=${ROWS:-10000} URLS=${URLS:-3} LEGACY_SECONDS=${LEGACY_SECONDS:-20} BROWSER=${BROWSER:-1} JAR=$jar)"
  machine_info
} | tee "$results"
python3 bench/watch.py "http://127.0.0.1:$port" "http://127.0.0.1:$origin_port/photo.jpg" "$work" \
  2>&1 | tee -a "$results"
echo "service CPU seconds: $(awk '{print ($14 + $15) / 100}' "/proc/$app/stat")" | tee -a "$results"
echo "raw results: $results"
