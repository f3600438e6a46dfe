"""Slow clients against a local HTTP server, and a scraper beside them.

Usage: slow_clients.py PORT COUNT SECONDS

Opens COUNT connections to 127.0.0.1:PORT that each start a request and then
send one more header line every second without ever finishing it (each byte
restarts an idle timer), for SECONDS. Meanwhile it scrapes /metrics every
0.25 s with a 1 s limit. Prints key=value lines:
  held=N        connections open once all were made
  cut=N         slow connections the server closed
  scrapes=N ok=N first_ok_s=T (seconds from the start; -1: none)
  late_scrapes=N late_ok=N (scrapes from SECONDS/2 on)"""
import socket
import sys
import time
import urllib.request

PORT, COUNT, SECONDS = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])

start = time.monotonic()
slow = []
for _ in range(COUNT):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=2)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    s.setblocking(False)
    slow.append(s)
held = sum(1 for s in slow if s.fileno() >= 0)
cut = set()
scrapes = ok = late = late_ok = 0
first_ok = -1.0
next_line = time.monotonic() + 1
while time.monotonic() - start < SECONDS:
    now = time.monotonic()
    if now >= next_line:
        next_line = now + 1
        for i, s in enumerate(slow):
            if i in cut:
                continue
            try:
                if s.recv(1) == b"":
                    cut.add(i)
                    continue
            except BlockingIOError:
                pass
            except OSError:
                cut.add(i)
                continue
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except OSError:
                cut.add(i)
    t = time.monotonic() - start
    good = False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=1) as r:
            good = r.status == 200 and b"sandprobe_" in r.read()
    except Exception:
        good = False
    scrapes += 1
    ok += good
    if good and first_ok < 0:
        first_ok = t
    if t >= SECONDS / 2:
        late += 1
        late_ok += good
    time.sleep(0.25)
print(f"held={held}")
print(f"cut={len(cut)}")
print(f"scrapes={scrapes} ok={ok} first_ok_s={first_ok:.2f}")
print(f"late_scrapes={late} late_ok={late_ok}")
