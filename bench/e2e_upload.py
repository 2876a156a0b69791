"""One timed batch through a running imgpress: POST /upload a CSV, poll /status/{id} every 100 ms
until the request is final, print "E2E phase=... seconds=... completed=... failed=... total=...",
with the CPU seconds the service (and the origin server) used meanwhile when their pids are given.

    python3 bench/e2e_upload.py BASE_URL CSV_FILE PHASE [SERVICE_PIDS [ORIGIN_PID [BACKEND_PIDS]]]

SERVICE_PIDS and BACKEND_PIDS may list several processes, comma-separated (an API node and its
workers; a database server's processes and an S3 server): their CPU seconds are added up.

STATUS_QUERY (environment) is appended to every poll, e.g. "?page=0&size=1" so that polling a
batch of thousands of images does not fetch (and make the service render) every product.
"""
import json
import os
import sys
import time
import urllib.request
import uuid

base, csv_path, phase = sys.argv[1:4]
pids = [[int(p) for p in arg.split(",") if p] for arg in sys.argv[4:7]]
TICK = os.sysconf("SC_CLK_TCK")
STATUS_QUERY = os.environ.get("STATUS_QUERY", "")


def cpu_seconds(pids):
    """utime + stime of processes, all threads, from /proc/PID/stat (0 for one that has gone)."""
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def jit_seconds(pids):
    """CPU seconds of JVMs' JIT compiler threads (C1, C2), from /proc/PID/task/*/stat."""
    total = 0
    for pid, task in ((p, t) for p in pids for t in os.listdir(f"/proc/{p}/task")):
        try:
            stat = open(f"/proc/{pid}/task/{task}/stat").read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name.startswith(("C1 CompilerThre", "C2 CompilerThre")):
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / TICK


boundary = f"bench-{uuid.uuid4()}"
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\n").encode() + open(csv_path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
upload = urllib.request.Request(f"{base}/upload", data=body, method="POST",
                                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

cpu_before = [cpu_seconds(p) for p in pids]
jit_before = jit_seconds(pids[0]) if pids else 0
start = time.monotonic()
with urllib.request.urlopen(upload) as response:
    request_id = json.load(response)["requestId"]
accepted = time.monotonic() - start
# The longest time /status showed no new processed image while the request was under way: how
# live progress looks to a watcher (from the first processed image to the last).
last_count, last_change, longest_stall = 0, None, 0.0
while True:
    with urllib.request.urlopen(f"{base}/status/{request_id}{STATUS_QUERY}") as response:
        status = json.load(response)
    now = time.monotonic()
    if status["processedImages"] != last_count:
        if last_change is not None:
            longest_stall = max(longest_stall, now - last_change)
        last_count, last_change = status["processedImages"], now
    if status["status"] in ("completed", "failed"):
        break
    time.sleep(0.1)
seconds = time.monotonic() - start
cpu = [cpu_seconds(p) - before for p, before in zip(pids, cpu_before)]
jit = jit_seconds(pids[0]) - jit_before if pids else 0
names = ["service_cpu_s", "origin_cpu_s", "backend_cpu_s"]

print(f"E2E phase={phase} seconds={seconds:.4f} upload_s={accepted:.4f} completed={status['processedImages'] - status['failedImages']}"
      f" failed={status['failedImages']} total={status['totalImages']} longest_stall_s={longest_stall:.2f}"
      + "".join(f" {name}={value:.3f}" for name, value in zip(names, cpu))
      + (f" service_jit_s={jit:.3f}" if pids else ""))
