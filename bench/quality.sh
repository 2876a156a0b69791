#!/usr/bin/env bash
# What quality=auto buys: every image of DIR (JPEG and PNG) encoded by one engine at quality 50 and
# at automatic quality, per output format; bytes of each, the quality auto chose, and two
# perceptual scores of each output against the source's pixels: SSIM as the service computes it
# (what auto aims at) and butteraugli (Debian's package, an independent measure; lower is better,
# under about 1.0 is "looks the same").
#
#   ./bench/quality.sh DIR|FILE...            e.g. ./bench/quality.sh ../shared/corpus
#   FORMATS="jpeg webp avif" ENGINE=native ./bench/quality.sh DIR|FILE...
#
# Needs the vips command (libvips-tools: decodes WebP/AVIF outputs to PNG for scoring) and
# butteraugli (package butteraugli). Results go to target/bench-results/quality-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -gt 0 ] || { echo "usage: ./bench/quality.sh DIR|FILE..." >&2; exit 2; }
read -r -a formats <<<"${FORMATS:-jpeg webp avif}"
engine=${ENGINE:-native}
for tool in vips butteraugli; do
  command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install libvips-tools butteraugli" >&2; exit 1; }
done
ensure_jar
bench_cmd QualityBench
mapfile -t images < <(find "$@" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort)
[ "${#images[@]}" -gt 0 ] || { echo "no JPEG or PNG images in $*" >&2; exit 1; }
out=target/bench-results/quality-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
results=$out/results.txt
{
  echo "# quality benchmark $(date -Iseconds): ./bench/quality.sh $* (ENGINE=$engine QUALITY=$QUALITY FORMATS=\"${formats[*]}\")"
  machine_info
} | tee "$results"

score() { # reference output -> "ssim butteraugli"
  local ref=$1 file=$2 png=${2%.*}.decoded.png
  vips copy "$file" "$png"
  local ssim butter
  ssim=$("${BENCH_CMD[@]}" ssim "$ref" "$png")
  butter=$(butteraugli "$ref" "$png" 2>/dev/null | head -1)
  rm -f "$png"
  echo "$ssim $butter"
}

for format in "${formats[@]}"; do
  "${BENCH_CMD[@]}" encode --engine "$engine" --format "$format" --quality "$QUALITY" --out "$out" "${images[@]}" |
    grep '^IMAGE ' | while read -r line; do
      name=$(sed -E 's/.* name=([^ ]+).*/\1/' <<<"$line")
      ext=$format; [ "$format" = jpeg ] && ext=jpg
      read -r fs fb < <(score "$out/$name.ref.png" "$out/$name.fixed.$ext")
      read -r as ab < <(score "$out/$name.ref.png" "$out/$name.auto.$ext")
      echo "$line format=$format fixed_ssim=$fs fixed_butteraugli=$fb auto_ssim=$as auto_butteraugli=$ab" | tee -a "$results"
    done
done
python3 bench/report.py quality "$results" | tee -a "$results"
echo "raw results and outputs: $out"
