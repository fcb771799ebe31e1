#!/usr/bin/env python3
"""Opens N connections that each send a CONNECT declaring a 268,435,455-byte remaining length, and measures how long
the broker takes to close each. Prints one JSON line. Usage: huge_connects.py PORT N BROKER_PID"""
import json
import select
import socket
import sys
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


port, n, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
header = bytes([0x10, 0xFF, 0xFF, 0xFF, 0x7F]) + b"\x00\x04MQTT" + bytes([4, 0x02, 0, 60])
before = rss_kb(pid)
socks, sent_at = [], {}
for i in range(n):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    s.sendall(header + bytes(16384))  # and the start of a huge body
    sent_at[s.fileno()] = time.monotonic()
    socks.append(s)
peak = rss_kb(pid)
closed_ms, open_socks = [], {s.fileno(): s for s in socks}
deadline = time.monotonic() + 15
while open_socks and time.monotonic() < deadline:
    ready, _, _ = select.select(list(open_socks.values()), [], [], 0.5)
    for s in ready:
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if not data:
            closed_ms.append((time.monotonic() - sent_at[s.fileno()]) * 1000)
            del open_socks[s.fileno()]
    peak = max(peak, rss_kb(pid))
after = rss_kb(pid)
for s in socks:
    s.close()
closed_ms.sort()
print(json.dumps({"connections": n, "closed": len(closed_ms), "still_open": len(open_socks),
                  "close_ms_median": round(closed_ms[len(closed_ms) // 2], 1) if closed_ms else None,
                  "close_ms_max": round(closed_ms[-1], 1) if closed_ms else None,
                  "rss_before_kb": before, "rss_peak_kb": peak, "rss_after_kb": after}))
