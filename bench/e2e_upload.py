"""One timed batch through a running imgpress: POST /upload a CSV, poll /status/{id} every 100 ms
until the request is final, print "E2E phase=... seconds=... completed=... failed=... total=...".

    python3 bench/e2e_upload.py BASE_URL CSV_FILE PHASE
"""
import json
import sys
import time
import urllib.request
import uuid

base, csv_path, phase = sys.argv[1:4]
boundary = f"bench-{uuid.uuid4()}"
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\n").encode() + open(csv_path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
upload = urllib.request.Request(f"{base}/upload", data=body, method="POST",
                                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

start = time.monotonic()
with urllib.request.urlopen(upload) as response:
    request_id = json.load(response)["requestId"]
while True:
    with urllib.request.urlopen(f"{base}/status/{request_id}") as response:
        status = json.load(response)
    if status["status"] in ("completed", "failed"):
        break
    time.sleep(0.1)
seconds = time.monotonic() - start

print(f"E2E phase={phase} seconds={seconds:.4f} completed={status['processedImages'] - status['failedImages']}"
      f" failed={status['failedImages']} total={status['totalImages']}")
