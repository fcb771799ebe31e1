#!/usr/bin/env python3
"""Floods the broker with wrong-password CONNECTs from 127.0.0.1 at RATE a second for SECONDS, while a legitimate
client logs in again and again from 127.0.0.2; prints one JSON line with the legitimate client's CONNACK latencies and
refusals and the flood's answers. Usage: login_flood.py PORT RATE SECONDS USER PASSWORD"""
import asyncio
import json
import sys
import time

import mqtt

port, rate, seconds, user, password = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
flood_answers = {}
legit = {"latencies_ms": [], "refused": {}, "errors": 0}


async def attempt(source, client_id, pw, timeout):
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), timeout)
    try:
        writer.write(mqtt.connect(client_id, username=user, password=pw))
        await writer.drain()
        ack = await asyncio.wait_for(reader.readexactly(4), timeout)
        return ack[3]
    finally:
        writer.close()


async def flood_one(i):
    try:
        code = await attempt("127.0.0.1", f"flood-{i}", "wrong", 15)
    except Exception as e:
        code = type(e).__name__
    flood_answers[str(code)] = flood_answers.get(str(code), 0) + 1


async def flood(end):
    tasks, i = [], 0
    start = time.monotonic()
    while time.monotonic() < end:
        due = start + i / rate
        if due > time.monotonic():
            await asyncio.sleep(due - time.monotonic())
        tasks.append(asyncio.create_task(flood_one(i)))
        i += 1
    await asyncio.gather(*tasks)
    return i


async def legitimate(end):
    n = 0
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            code = await attempt("127.0.0.2", f"legit-{n}", password, 10)
            if code == 0:
                legit["latencies_ms"].append((time.monotonic() - t0) * 1000)
            else:
                legit["refused"][str(code)] = legit["refused"].get(str(code), 0) + 1
        except Exception:
            legit["errors"] += 1
        n += 1
        await asyncio.sleep(0.02)


async def main():
    end = time.monotonic() + seconds
    sent, _ = await asyncio.gather(flood(end), legitimate(end))
    lat = sorted(legit["latencies_ms"])

    def pct(p):
        return round(lat[min(len(lat) - 1, int(len(lat) * p))], 1) if lat else None

    print(json.dumps({"flood_sent": sent, "flood_rate": round(sent / seconds), "flood_answers": flood_answers,
                      "legit_logins": len(lat), "legit_refused": legit["refused"], "legit_errors": legit["errors"],
                      "legit_p50_ms": pct(0.5), "legit_p99_ms": pct(0.99), "legit_max_ms": pct(1.0)}))


asyncio.run(main())
