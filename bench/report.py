"""Tables and goals from the raw result lines of bench/codec.sh and bench/e2e.sh.

    python3 bench/report.py codec|e2e RESULTS_FILE

Each measurement is one line "RESULT key=value ..." (or "E2E ..."); medians are taken over the
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
        if kind in ("RESULT", "E2E"):
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
    print("Goals (against the matched 'sharp' row; judged on wall-clock MP/s, per-CPU-second ratio for reference):")
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


if __name__ == "__main__":
    {"codec": codec, "e2e": e2e}[sys.argv[1]](parse(sys.argv[2]))
