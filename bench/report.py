"""Tables and goals from the raw result lines of bench/codec.sh, bench/e2e.sh and bench/pipeline.sh.

    python3 bench/report.py codec|e2e|pipeline|quality RESULTS_FILE

Each measurement is one line "RESULT key=value ..." (or "E2E ...", "PIPE ..."); medians are taken over the
rounds, ratios are taken within a round (so that both sides saw the same machine load) and then
their median is reported.
"""
import statistics
import sys
from collections import defaultdict

ORDER = ["native", "native-noopt", "portable", "auto", "sharp", "sharp-defaults"]


def parse(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        kind, _, rest = line.strip().partition(" ")
        if kind in ("RESULT", "E2E", "PIPE", "IMAGE"):
            row = dict(kv.split("=", 1) for kv in rest.split())
            row["kind"] = kind
            for key, value in row.items():
                try:
                    row[key] = float(value)
                except ValueError:
                    pass
            rows.append(row)
    return rows


def median_range(values, fmt="{:.1f}"):
    if not values:
        return "n/a"
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def mp_per_s(row):
    return row["mp"] * row["passes"] / row["seconds"]


def mp_per_cpu_s(row):
    return row["mp"] * row["passes"] / row["cpu_s"] if row.get("cpu_s") else float("nan")


def ratios(by_engine, engine, base, value):
    """Per-round value(engine) / value(base), for rounds where both ran."""
    base_by_round = {r["round"]: r for r in by_engine.get(base, [])}
    return [value(r) / value(base_by_round[r["round"]])
            for r in by_engine.get(engine, []) if r["round"] in base_by_round]


def goal(label, values, target, higher=True, fmt="{:.2f}x", per_cpu=None):
    if not values:
        print(f"  n/a   {label}: not measured")
        return
    m = statistics.median(values)
    ok = m >= target if higher else m <= target
    cpu = f"; per CPU-second {statistics.median(per_cpu):.2f}x" if per_cpu else ""
    print(f"  {'PASS' if ok else 'MISS'}  {label}: {fmt.format(m)} "
          f"(rounds {fmt.format(min(values))}-{fmt.format(max(values))}{cpu}; goal {'>=' if higher else '<='} {fmt.format(target)})")


def codec(rows):
    by_engine = defaultdict(list)
    for r in rows:
        if r["kind"] == "RESULT":
            by_engine[r["engine"]].append(r)
    engines = [e for e in ORDER if e in by_engine]
    out_pct = lambda r: 100.0 * r["out_bytes"] / r["in_bytes"]
    formats = sorted({str(r.get("format", "jpeg")) for rs in by_engine.values() for r in rs})
    print()
    print(f"output format: {', '.join(formats)}" + (" (MIXED: ratios compare different formats)" if len(formats) > 1 else ""))
    header = (f"{'engine':<15}{'rounds':>6}  {'MP/s':<20}{'images/s':<19}{'out/in bytes %':<22}"
              f"{'peak RSS MB':<17}{'MP/s ÷ sharp':<19}{'bytes ÷ sharp':<22}{'MP/CPU-s':<20}{'load 1m':<12}")
    print()
    print(header)
    print("-" * len(header))
    for e in engines:
        rs = by_engine[e]
        print(f"{e:<15}{len(rs):>6}  "
              f"{median_range([mp_per_s(r) for r in rs]):<20}"
              f"{median_range([r['images'] * r['passes'] / r['seconds'] for r in rs], '{:.2f}'):<19}"
              f"{median_range([out_pct(r) for r in rs], '{:.2f}'):<22}"
              f"{median_range([r['rss_mb'] for r in rs], '{:.0f}'):<17}"
              f"{median_range(ratios(by_engine, e, 'sharp', mp_per_s), '{:.2f}'):<19}"
              f"{median_range(ratios(by_engine, e, 'sharp', lambda r: r['out_bytes']), '{:.3f}'):<22}"
              f"{median_range([mp_per_cpu_s(r) for r in rs]):<20}"
              f"{median_range([r['load_before'] for r in rs], '{:.1f}'):<12}")
    print("MP/s = megapixels decoded per wall second of the timed passes; ratios are taken per round,")
    print("then the median (range) of the rounds. 'sharp' = sharp.concurrency(1), 2 in flight (matched);")
    defaults = by_engine.get("sharp-defaults")
    note = f" (sharp's default concurrency here: {int(defaults[0]['concurrency'])})" if defaults else ""
    print(f"'sharp-defaults' = sharp's own settings, all images of a pass in flight{note}, for reference.")
    print("MP/CPU-s = megapixels per CPU-second of the whole process (less sensitive to machine load).")
    failed = {e: int(sum(r["failed"] for r in by_engine[e])) for e in engines}
    if any(failed.values()):
        print(f"failed images: {failed}")
    print()
    print("Goals (against the matched 'sharp' row; judged on wall-clock MP/s, per-CPU-second ratio for reference"
          + ("" if formats == ["jpeg"] else "; set for JPEG, shown for reference") + "):")
    speed = ratios(by_engine, "native", "sharp", mp_per_s)
    size = ratios(by_engine, "native", "sharp", lambda r: r["out_bytes"])
    goal("native MP/s >= 1.5x sharp", speed, 1.5,
         per_cpu=ratios(by_engine, "native", "sharp", mp_per_cpu_s))
    if size:
        worst = max(abs(s - 1) for s in size)
        print(f"  {'PASS' if worst <= 0.02 else 'MISS'}  native output bytes within 2% of sharp's: "
              f"{statistics.median(size):.3f}x sharp (worst round {100 * worst:.1f}% off)")
    else:
        print("  n/a   native output bytes within 2% of sharp's: not measured")
    goal("native optimize-coding=false MP/s >= 2.0x sharp", ratios(by_engine, "native-noopt", "sharp", mp_per_s), 2.0,
         per_cpu=ratios(by_engine, "native-noopt", "sharp", mp_per_cpu_s))
    goal("portable MP/s >= 0.5x sharp", ratios(by_engine, "portable", "sharp", mp_per_s), 0.5,
         per_cpu=ratios(by_engine, "portable", "sharp", mp_per_cpu_s))
    goal("native peak RSS <= sharp's", ratios(by_engine, "native", "sharp", lambda r: r["rss_mb"]), 1.0, higher=False)


def e2e(rows):
    bare = {r["round"]: r for r in rows if r["kind"] == "RESULT"}
    runs = [r for r in rows if r["kind"] == "E2E"]
    engine = next(iter(bare.values()))["engine"] if bare else "?"
    if bare and engine == "auto":
        codec = next(iter(bare.values()))["codec"]
        engine = "auto: " + {"VipsCodec": "native", "ImageIoCodec": "portable"}.get(codec, codec)
    print()
    header = (f"{'figure':<38}{'rounds':>6}  {'MP/s':<20}{'÷ bare':<20}{'completed/failed':<18}"
              f"{'service CPU-s':<22}{'origin CPU-s':<20}{'load 1m':<12}")
    print(header)
    print("-" * len(header))
    bare_rows = list(bare.values())
    print(f"{'bare codec (' + engine + ', 2 threads)':<38}{len(bare_rows):>6}  "
          f"{median_range([mp_per_s(r) for r in bare_rows]):<20}{'1':<20}{'':<18}"
          f"{median_range([r['cpu_s'] for r in bare_rows], '{:.2f}'):<22}{'':<20}"
          f"{median_range([r['load_before'] for r in bare_rows], '{:.1f}'):<12}")
    found = {}
    labels = {"cold": "e2e, 1st upload (cold JVM)", "warm2": "e2e, 2nd upload",
              "warm3": "e2e, 3rd upload (judged)"}
    for phase, label in labels.items():
        rs = [r for r in runs if r["phase"] == phase and r["round"] in bare]
        if not rs:
            continue
        mps = [bare[r["round"]]["mp"] * bare[r["round"]]["passes"] / r["seconds"] for r in rs]
        found[phase] = [m / mp_per_s(bare[r["round"]]) for m, r in zip(mps, rs)]
        done = (f"{int(statistics.median([r['completed'] for r in rs]))}/"
                f"{int(statistics.median([r['failed'] for r in rs]))} of {int(rs[0]['total'])}")
        cpu = [r["service_cpu_s"] for r in rs if "service_cpu_s" in r]
        origin = [r["origin_cpu_s"] for r in rs if "origin_cpu_s" in r]
        print(f"{label:<38}{len(rs):>6}  {median_range(mps):<20}{median_range(found[phase], '{:.2f}'):<20}"
              f"{done:<18}{median_range(cpu, '{:.2f}'):<22}{median_range(origin, '{:.2f}'):<20}"
              f"{median_range([r['load_before'] for r in rs], '{:.1f}'):<12}")
    print("e2e MP/s = megapixels of all listed images / wall time from POST /upload to a final /status")
    print("(polled every 100 ms); bare = the same engine and files through CodecBench in the same round")
    print("(CPU-s of its timed pass). Service/origin CPU-s: what the jar and the python origin used per upload.")
    print()
    print("Goal:")
    goal(f"e2e (3rd upload) >= 0.9x bare {engine}", found.get("warm3", []), 0.9)


VARIANT_ORDER = ["pg-s3", "split", "pg-redis-s3"]
PIPE_ORDER = ["near", "far", "tiny", "tiny4x", "photos"]


def pipeline(rows):
    runs = defaultdict(list)
    for r in rows:
        if r["kind"] == "PIPE":
            variant = r.get("variant", "embedded")
            runs[r["scenario"] if variant == "embedded" else f"{r['scenario']} [{variant}]"].append(r)
        elif r["kind"] == "RESULT" and r.get("scenario") == "photos":
            runs["bare " + r["engine"]].append(r)
    per_s = lambda r: r["images"] / r["seconds"]
    mp_s = lambda r: r["mp"] / r["seconds"]
    cpu = lambda r: r["service_cpu_s"]
    labels = {"bare native": "photos: bare codec (CodecBench, native, 2 threads)",
              "bare sharp": "photos: sharp (concurrency 1, 2 in flight)"}

    def bare_view(r):
        """A bare codec's RESULT line in the PIPE line's terms: all timed passes together."""
        return {"images": r["images"] * r["passes"], "mp": r["mp"] * r["passes"], "seconds": r["seconds"],
                "service_cpu_s": r["cpu_s"], "rss_mb": r["rss_mb"], "load_before": r["load_before"],
                "round": r["round"], "completed": r["images"] * r["passes"] - r["failed"], "failed": r["failed"]}

    for key in labels:
        runs[key] = [bare_view(r) for r in runs.get(key, [])]
    def mr(values, fmt):
        """The value alone for one round, else the median (range)."""
        if len(values) == 1:
            return fmt.format(values[0])
        return median_range(values, fmt)

    table = [["scenario", "rounds", "images", "seconds", "images/s", "MP/s", "CPU-s", "CPU ms/image",
              "JIT CPU-s", "origin CPU-s", "backend CPU-s", "peak RSS MB", "stall s", "done/failed", "load 1m"]]
    variants = [v for v in VARIANT_ORDER if any(k.endswith(f" [{v}]") for k in runs)]
    keys = [k for s in PIPE_ORDER for k in [s] + [f"{s} [{v}]" for v in variants]]
    for key in keys + list(labels):
        rs = runs.get(key)
        if not rs:
            continue
        label = labels.get(key, f"{key} (delay {int(rs[0]['delay_ms'])} ms)" if rs[0].get("delay_ms") else key)
        backend = [r["backend_cpu_s"] for r in rs if "backend_cpu_s" in r]
        origin = [r["origin_cpu_s"] for r in rs if "origin_cpu_s" in r]
        table.append([label, str(len(rs)), str(int(rs[0]["images"])),
                      mr([r["seconds"] for r in rs], "{:.2f}"),
                      mr([per_s(r) for r in rs], "{:.1f}"),
                      mr([mp_s(r) for r in rs], "{:.2f}"),
                      mr([cpu(r) for r in rs], "{:.2f}"),
                      mr([1000 * cpu(r) / r["images"] for r in rs], "{:.2f}"),
                      mr([r["service_jit_s"] for r in rs], "{:.2f}") if "service_jit_s" in rs[0] else "",
                      mr(origin, "{:.2f}") if origin else "",
                      mr(backend, "{:.2f}") if backend else "",
                      mr([r["rss_mb"] for r in rs], "{:.0f}"),
                      mr([r["longest_stall_s"] for r in rs], "{:.2f}") if "longest_stall_s" in rs[0] else "",
                      f"{int(statistics.median([r['completed'] for r in rs]))}/"
                      f"{int(statistics.median([r['failed'] for r in rs]))}",
                      mr([r["load_before"] for r in rs], "{:.1f}")])
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    print()
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    print("Scenarios: one upload, timed from POST /upload to a final /status, on a fresh service and origin")
    print("(after an untimed warm-up upload); CPU-s = the service's CPU seconds over that upload; peak RSS =")
    print("the service's VmHWM after the scenario. Bare rows: all timed passes of the same files, the whole")
    print("process's CPU seconds and peak RSS. stall s = the longest /status showed no new processed image")
    print("while the request was under way (polled every 100 ms): how live progress looks.")
    print()

    def ratio(a, b, value):
        """Per-round value(a) / value(b), for rounds where both ran."""
        by_round = {r["round"]: r for r in runs.get(b, [])}
        return [value(r) / value(by_round[r["round"]]) for r in runs.get(a, []) if r["round"] in by_round]

    per_image_cpu = lambda r: r["service_cpu_s"] / r["images"]
    print("Goals:")
    goal("far images/s >= 0.9x near images/s", ratio("far", "near", per_s), 0.9)
    goal("tiny images/s >= 1,000", [per_s(r) for r in runs.get("tiny", [])], 1000, fmt="{:.0f}/s")
    goal("photos e2e MP/s >= 1.3x sharp bare MP/s", ratio("photos", "bare sharp", mp_s), 1.3)
    goal("service CPU-s per photo <= 1.15x bare codec's", ratio("photos", "bare native", per_image_cpu), 1.15,
         higher=False)
    goal("peak RSS tiny4x <= 1.25x tiny", ratio("tiny4x", "tiny", lambda r: r["rss_mb"]), 1.25, higher=False)
    if variants:
        print()
        print("Backends and topology (images/s of the same scenario in the same round):")
        for scenario in PIPE_ORDER:
            for v, base in (("pg-s3", scenario), ("split", f"{scenario} [pg-s3]"),
                            ("pg-redis-s3", f"{scenario} [pg-s3]")):
                key = f"{scenario} [{v}]"
                if runs.get(key) and runs.get(base):
                    print(f"  {key} / {base}: {median_range(ratio(key, base, per_s), '{:.2f}x')}")
    photos = runs.get("photos", [])
    if photos and all("service_jit_s" in r for r in photos):
        # Not a goal: where the service's extra CPU goes. The JIT compilers still at work after the
        # warm-up are a cost of a young JVM, not of each photo; the bare codec's process has its own.
        jit = [r["service_jit_s"] / r["service_cpu_s"] for r in photos]
        no_jit = lambda r: (r["service_cpu_s"] - r.get("service_jit_s", 0)) / r["images"]
        print(f"  note  of the service's CPU over the photos upload, the JIT compiler threads took "
              f"{median_range(jit, '{:.0%}')}; without them the CPU per photo is "
              f"{median_range(ratio('photos', 'bare native', no_jit), '{:.2f}x')} the bare codec's"
              f" (whose whole-process figure keeps its own JIT)")



def quality(rows):
    """Per format: bytes at the fixed quality and at auto, the saving, and both outputs' scores."""
    rows = [r for r in rows if r["kind"] == "IMAGE"]
    for fmt in dict.fromkeys(r["format"] for r in rows):
        part = [r for r in rows if r["format"] == fmt]
        print(f"\n{fmt}: {len(part)} images")
        print(f"{'image':<34}{'MP':>6}{'fixed B':>10}{'auto B':>10}{'saved':>8}{'auto q':>7}"
              f"{'SSIM fixed':>11}{'SSIM auto':>10}{'BA fixed':>9}{'BA auto':>8}")
        for r in part:
            print(f"{r['name']:<34}{r['megapixels']:>6.1f}{r['fixed_bytes']:>10.0f}{r['auto_bytes']:>10.0f}"
                  f"{1 - r['auto_bytes'] / r['fixed_bytes']:>8.1%}{r['auto_quality']:>7.0f}"
                  f"{r['fixed_ssim']:>11.4f}{r['auto_ssim']:>10.4f}"
                  f"{r['fixed_butteraugli']:>9.2f}{r['auto_butteraugli']:>8.2f}")
        fixed = sum(r["fixed_bytes"] for r in part)
        auto = sum(r["auto_bytes"] for r in part)
        med = statistics.median
        print(f"total: fixed {fixed / 1e6:.2f} MB, auto {auto / 1e6:.2f} MB: auto saves {1 - auto / fixed:.1%}"
              f" (median per image {med([1 - r['auto_bytes'] / r['fixed_bytes'] for r in part]):.1%});"
              f" chosen qualities {min(r['auto_quality'] for r in part):.0f}-{max(r['auto_quality'] for r in part):.0f}"
              f" (median {med([r['auto_quality'] for r in part]):.0f})")
        print(f"SSIM median fixed {med([r['fixed_ssim'] for r in part]):.4f}, auto {med([r['auto_ssim'] for r in part]):.4f};"
              f" lowest fixed {min(r['fixed_ssim'] for r in part):.4f}, auto {min(r['auto_ssim'] for r in part):.4f}")
        print(f"butteraugli median fixed {med([r['fixed_butteraugli'] for r in part]):.2f}, auto {med([r['auto_butteraugli'] for r in part]):.2f};"
              f" worst fixed {max(r['fixed_butteraugli'] for r in part):.2f}, auto {max(r['auto_butteraugli'] for r in part):.2f}")


if __name__ == "__main__":
    {"codec": codec, "e2e": e2e, "pipeline": pipeline, "quality": quality}[sys.argv[1]](parse(sys.argv[2]))
