"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample, Java code running) and native
samples (jdk.NativeMethodSample, threads inside native code), for threads whose name starts with
a prefix.

    python3 bench/jfr_top.py FILE.jfr [THREAD_PREFIX] [N]
"""
import collections
import json
import os
import subprocess
import sys

path = sys.argv[1]
prefix = sys.argv[2] if len(sys.argv) > 2 else ""
top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
raw = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events",
                      "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(raw)["recording"]["events"]


def name(frame):
    m = frame["method"]
    return f"{m['type']['name']}.{m['name']}"


for kind in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
    samples = [e["values"] for e in events if e["type"] == kind]
    samples = [s for s in samples if (s["sampledThread"]["javaName"] or "").startswith(prefix)
               and s.get("stackTrace")]
    own = collections.Counter()
    total = collections.Counter()
    for s in samples:
        frames = [name(f) for f in s["stackTrace"]["frames"]]
        own[frames[0]] += 1
        for f in set(frames):
            total[f] += 1
    n = len(samples) or 1
    print(f"\n{kind}: {len(samples)} samples of threads '{prefix}*'")
    print("  top of stack:")
    for f, c in own.most_common(top):
        print(f"    {100 * c / n:5.1f}%  {f}")
    print("  on the stack (inclusive):")
    for f, c in total.most_common(top + 10):
        print(f"    {100 * c / n:5.1f}%  {f}")
