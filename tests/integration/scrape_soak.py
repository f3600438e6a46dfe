"""Soak of a /metrics endpoint: scrapers and slow clients at once.

Usage: scrape_soak.py PORT SECONDS PID

For SECONDS, 4 threads scrape http://127.0.0.1:PORT/metrics back to back
while 16 slow clients each hold a connection open, sending a header line
every second and reconnecting when the server cuts them. The server's (PID)
RSS and open fds are read after a 5 s warm-up and again at the end, once
every client has gone. Prints one key=value line."""
import os
import socket
import sys
import threading
import time
import urllib.request

PORT, SECONDS, PID = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
stop = time.monotonic() + SECONDS
lock = threading.Lock()
latencies, failures = [], [0]


def rss_kb():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def fds():
    return len(os.listdir(f"/proc/{PID}/fd"))


def scraper():
    while time.monotonic() < stop:
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=5) as r:
                ok = r.status == 200 and b"sandprobe_" in r.read()
        except Exception:
            ok = False
        with lock:
            if ok:
                latencies.append(time.monotonic() - t0)
            else:
                failures[0] += 1


def slow_client():
    while time.monotonic() < stop:
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=2)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            while time.monotonic() < stop:
                time.sleep(1)
                s.sendall(b"X-Slow: 1\r\n")
        except OSError:
            pass
        finally:
            try:
                s.close()
            except Exception:
                pass


threads = [threading.Thread(target=scraper) for _ in range(4)]
threads += [threading.Thread(target=slow_client) for _ in range(16)]
for t in threads:
    t.start()
time.sleep(5)
rss_warm, fds_warm = rss_kb(), fds()
for t in threads:
    t.join()
time.sleep(1)
rss_end, fds_end = rss_kb(), fds()
latencies.sort()
n = len(latencies)
p50 = latencies[n // 2] * 1000 if n else -1
p99 = latencies[min(n - 1, n * 99 // 100)] * 1000 if n else -1
print(f"scrapes={n} failures={failures[0]} p50_ms={p50:.1f} p99_ms={p99:.1f} "
      f"rss_warm_kb={rss_warm} rss_end_kb={rss_end} fds_warm={fds_warm} fds_end={fds_end}")
