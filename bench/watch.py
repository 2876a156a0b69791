#!/usr/bin/env python3
"""Measures what watching one big request costs; run by bench/watch.sh (see there).

usage: watch.py BASE_URL IMAGE_URL WORK_DIR
env: ROWS (10000), URLS (3), LEGACY_SECONDS (20), BROWSER (1)
"""
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

BASE, IMAGE, WORK = (sys.argv[1:4] + ["", "", "/tmp"])[:3]
ROWS = int(os.environ.get("ROWS", "10000"))
URLS = int(os.environ.get("URLS", "3"))
LEGACY_SECONDS = float(os.environ.get("LEGACY_SECONDS", "20"))
BROWSER = os.environ.get("BROWSER", "1") == "1"
HOST = urllib.parse.urlsplit(BASE)


def log(*args):
    print(*args, flush=True)


def get(path):
    start = time.perf_counter()
    with urllib.request.urlopen(BASE + path, timeout=120) as response:
        body = response.read()
    return time.perf_counter() - start, body


def upload(csv_text):
    boundary = "bench-" + uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\n{csv_text}\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        BASE + "/upload", data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        answer = json.loads(response.read())
    return time.perf_counter() - start, answer


class Stream(threading.Thread):
    """Reads one event stream, recording (seconds since open, bytes, images) per event."""

    def __init__(self, path, limit_seconds=None):
        super().__init__(daemon=True)
        self.path, self.limit = path, limit_seconds
        self.events, self.opened, self.closed = [], None, None

    def run(self):
        conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=600)
        conn.request("GET", self.path, headers={"Accept": "text/event-stream"})
        response = conn.getresponse()
        self.opened = time.perf_counter()
        size, data = 0, None
        try:
            while True:
                if self.limit and time.perf_counter() - self.opened > self.limit:
                    break
                line = response.readline()
                if not line:
                    break
                size += len(line)
                if line.startswith(b"data:"):
                    data = line[5:]
                elif line in (b"\n", b"\r\n"):
                    if data is not None:
                        doc = json.loads(data)
                        images = len(doc["images"]) if "images" in doc else sum(
                            len(p["images"]) for p in doc.get("products", []))
                        self.events.append((time.perf_counter() - self.opened, size, images,
                                            doc["status"]))
                    size, data = 0, None
        finally:
            self.closed = time.perf_counter()
            conn.close()

    def report(self, name):
        seconds = self.closed - self.opened
        sizes = [e[1] for e in self.events]
        total = sum(sizes)
        per_second = {}
        for t, b, _, _ in self.events:
            per_second[int(t)] = per_second.get(int(t), 0) + b
        log(f"{name}: {len(sizes)} events in {seconds:.1f} s, {total / 1e6:.2f} MB;"
            f" per event median {statistics.median(sizes) / 1e3:.1f} KB,"
            f" mean {total / len(sizes) / 1e3:.1f} KB, max {max(sizes) / 1e3:.1f} KB;"
            f" {total / seconds / 1e3:.1f} KB/s on average, busiest second"
            f" {max(per_second.values()) / 1e3:.1f} KB;"
            f" images per event median {statistics.median(e[2] for e in self.events):.0f},"
            f" max {max(e[2] for e in self.events)}")


def describe(name, seconds, sizes=None):
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    text = (f"{name}: {len(ms)} calls, median {statistics.median(ms):.1f} ms,"
            f" p95 {p95:.1f} ms, max {ms[-1]:.1f} ms")
    if sizes:
        text += f", {statistics.median(sizes) / 1e3:.1f} KB"
    log(text)


class Browser:
    """Headless Chromium through chromedriver's W3C HTTP API (no client library needed)."""

    def __init__(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.profile = os.path.join(WORK, "chromium-profile")
        self.driver = subprocess.Popen(
            ["/usr/bin/chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1280,900",
                f"--user-data-dir={self.profile}"]
        session = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})
        self.session = session["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())

    def go(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def script(self, source):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": source, "args": []})["value"]

    def cdp(self, command, params=None):
        return self.call("POST", f"/session/{self.session}/goog/cdp/execute",
                         {"cmd": command, "params": params or {}})["value"]

    def renderer_memory_kb(self):
        """Resident and private (USS) memory of the page's renderer processes."""
        rss = private = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
                if b"--type=renderer" not in cmd or self.profile.encode() not in cmd:
                    continue
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    for line in f:
                        name, value = line.split(":", 1) if ":" in line else (line, "")
                        if name == "Rss":
                            rss += int(value.split()[0])
                        elif name in ("Private_Clean", "Private_Dirty"):
                            private += int(value.split()[0])
            except (OSError, ValueError):
                pass
        return rss, private

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def main():
    lines = ["S. No.,Product Name,Input Image Urls"]
    for row in range(1, ROWS + 1):
        urls = ",".join(f"{IMAGE}?r={row}&n={n}" for n in range(URLS))
        lines.append(f'{row},SKU {row},"{urls}"')
    csv_text = "\n".join(lines) + "\n"
    browser = Browser() if BROWSER and shutil.which("chromedriver") else None
    if browser:
        browser.go(BASE + "/")

    upload_seconds, accepted = upload(csv_text)
    request_id = accepted["requestId"]
    started = time.perf_counter()
    log(f"upload: {ROWS} rows x {URLS} URLs = {accepted['totalImages']} images,"
        f" {len(csv_text) / 1e6:.2f} MB CSV, answered in {upload_seconds:.2f} s")
    if browser:
        browser.go(f"{BASE}/#/r/{request_id}")

    # As the page does: the first page of products, then the changes since its change number.
    seconds, body = get(f"/status/{request_id}?page=0&size=100")
    first = json.loads(body)
    log(f"first page right after the upload: {seconds * 1000:.1f} ms, {len(body) / 1e3:.1f} KB,"
        f" changeNumber {first.get('changeNumber')}")
    progress = Stream(f"/status/{request_id}/events?since={first.get('changeNumber', 0)}")
    progress.start()
    # The whole-document stream for comparison, from when images start completing.
    legacy = Stream(f"/status/{request_id}/events", LEGACY_SECONDS)

    page_seconds, page_sizes = [], []
    while progress.is_alive():
        seconds, body = get(f"/status/{request_id}?page=0&size=100")
        page_seconds.append(seconds)
        page_sizes.append(len(body))
        status = json.loads(body)
        if status["processedImages"] > 0 and legacy.ident is None:
            legacy.start()
        if status["status"] in ("completed", "failed"):
            break
        time.sleep(1)
    progress.join()
    if legacy.ident is not None:
        legacy.join()
    batch = time.perf_counter() - started
    final = json.loads(get(f"/status/{request_id}?page=0&size=1")[1])
    log(f"batch: {final['status']}, {final['processedImages']} of {final['totalImages']} images"
        f" ({final['failedImages']} failed) in {batch:.1f} s after the upload,"
        f" {final['changeNumber']} changes")

    progress.report("progress stream (?since=, what the page opens)")
    if legacy.events:
        legacy.report(f"whole-document stream (no since), {LEGACY_SECONDS:.0f} s from the first"
                      " completed image")
    describe("GET /status?page=0&size=100 during the batch", page_seconds, page_sizes)
    after = [get(f"/status/{request_id}?page=0&size=100") for _ in range(20)]
    describe("GET /status?page=0&size=100 after the batch", [a[0] for a in after],
             [len(a[1]) for a in after])
    whole = [get(f"/status/{request_id}") for _ in range(3)]
    describe("GET /status (every product) after the batch", [w[0] for w in whole],
             [len(w[1]) for w in whole])

    if browser:
        try:
            deadline = time.time() + 120
            while time.time() < deadline and not browser.script(
                    "return document.getElementById('request-download').hasAttribute('href');"):
                time.sleep(0.5)
            shown = browser.script(
                "return [document.getElementById('request-progress-text').textContent,"
                " document.querySelectorAll('#products .image[data-status=completed]').length,"
                " document.querySelectorAll('#products .image').length];")
            browser.cdp("HeapProfiler.enable")
            browser.cdp("HeapProfiler.collectGarbage")
            heap = browser.cdp("Runtime.getHeapUsage")
            browser.cdp("Performance.enable")
            metrics = {m["name"]: m["value"] for m in browser.cdp("Performance.getMetrics")["metrics"]}
            rss, private = browser.renderer_memory_kb()
            log(f"page after the batch: card \"{shown[0]}\", {shown[1]} of {shown[2]} rows shown"
                f" completed; JS heap after GC {heap['usedSize'] / 1e6:.1f} MB used"
                f" ({heap['totalSize'] / 1e6:.1f} MB allocated), {int(metrics.get('Nodes', 0))}"
                f" DOM nodes; renderer {rss / 1e3:.0f} MB resident, {private / 1e3:.0f} MB"
                " private")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
