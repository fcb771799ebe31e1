#!/usr/bin/env python3
"""Renders bench/work/results/isolation.jsonl (bench/isolation.sh) as the Markdown section bench/figures/isolation.md."""
import json
import statistics
import sys

rows, machine = [], {}
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if "machine" in o:
            machine = o["machine"]
        else:
            rows.append(o)


def med(values):
    return statistics.median(values) if values else None


out = ["## Isolation: one client does not hurt the others\n",
       f"Measured by `bench/isolation.sh` on {machine.get('date', '?')} ({machine.get('nproc', '?')} cores, "
       f"{machine.get('jdk', '?')}), one broker at a time, nothing else running.\n"]

lines = [r for r in rows if r["part"] == "lines"]
if lines:
    out.append("**`seq 1 200000 | mosquitto_pub -l` into a reading `mosquitto_sub`**, `mast broker --port P` with no "
               "config (the default configuration: RocksDB store, default limits):\n")
    out.append("| QoS | runs | all 200,000 delivered | delivered (min–max) |")
    out.append("|---|---|---|---|")
    for q in (0, 1):
        rs = [r for r in lines if r["qos"] == q]
        if rs:
            full = sum(1 for r in rs if r["delivered"] == r["sent"])
            out.append(f"| {q} | {len(rs)} | {full} of {len(rs)} | "
                       f"{min(r['delivered'] for r in rs):,}–{max(r['delivered'] for r in rs):,} |")
    out.append("\nCommand per run: `mosquitto_sub -t lines/Q -C 200000 -W 120 > out & seq 1 200000 | "
               "mosquitto_pub -q Q -t lines/Q -l`, then `wc -l out`.\n")

stalled = [r for r in rows if r["part"] == "stalled"]
if stalled:
    base = med([r["receive_rate"] for r in stalled if r["variant"] == "none"])
    out.append("**An unrelated QoS 1 publisher beside a subscriber to `#` that stops reading, or reads one message a "
               "second** (`mast bench pubsub --topology 1to1 -q 1`, memory storage, default limits; the other "
               "subscriber is `bench/isolation/subscriber.py`: a persistent session, QoS 1, a 4 KB receive buffer):\n")
    out.append("| other subscriber | msg/s (median, min–max) | vs none | broker heap after GC | dropped (counters) |")
    out.append("|---|---|---|---|---|")
    names = {"none": "none", "stall": "stopped reading", "slow": "reads 1 msg/s"}
    for v in ("none", "stall", "slow"):
        rs = [r for r in stalled if r["variant"] == v]
        if not rs:
            continue
        rates = [r["receive_rate"] for r in rs]
        m = med(rates)
        ratio = f"{m / base:.1%}" if base else "–"
        heap = med([r["heap_kb"] for r in rs])
        drops = rs[-1].get("dropped") or {}
        dropped = ", ".join(f"{k.replace('messages.dropped.', '')} {v:,}" for k, v in sorted(drops.items()) if v) \
            if isinstance(drops, dict) else str(drops)
        out.append(f"| {names[v]} | {m:,.0f} ({min(rates):,.0f}–{max(rates):,.0f}) | {ratio} | "
                   f"{heap / 1024:,.0f} MB | {dropped or '0'} |")
    out.append(f"\nCommand: `{stalled[0].get('cmd', '')}`; heap: `jcmd PID GC.heap_info` after `GC.run`; drops: "
               "`/api/v1/metrics?prefix=messages.dropped` of the last run.\n")

connects = [r for r in rows if r["part"] == "connects"]
if connects:
    c = connects[-1]["result"]
    out.append("**100 connections that each declare a 256 MB CONNECT** (`bench/isolation/huge_connects.py`, "
               "default configuration):\n")
    out.append(f"- closed: {c['closed']} of {c['connections']} (median {c['close_ms_median']} ms after the bytes "
               f"were sent, slowest {c['close_ms_max']} ms); still open after 15 s: {c['still_open']}")
    out.append(f"- broker RSS: {c['rss_before_kb'] / 1024:,.0f} MB before, {c['rss_peak_kb'] / 1024:,.0f} MB at "
               f"most, {c['rss_after_kb'] / 1024:,.0f} MB after (+{(c['rss_peak_kb'] - c['rss_before_kb']) / 1024:,.1f} "
               "MB)\n")

logins = [r for r in rows if r["part"] == "logins"]
if logins:
    out.append("**1,000 wrong-password CONNECTs a second for 10 s from 127.0.0.1, a legitimate client logging in "
               "again and again from 127.0.0.2** (`bench/isolation/login_flood.py`, `PasswordFileAuthPlugin` with a "
               "`mast passwd` file):\n")
    out.append("| logins settings | flood sent (per s) | flood answers (CONNACK code: count) | legitimate logins | "
               "refused | p50 | p99 | max |")
    out.append("|---|---|---|---|---|---|---|---|")
    for r in logins:
        x = r["result"]
        answers = ", ".join(f"{k}: {v:,}" for k, v in sorted(x["flood_answers"].items()))
        refused = sum(x["legit_refused"].values()) + x["legit_errors"]
        label = "default (bans after 10 failures)" if r["bans"] == "default" else "`ban_after_failures: 0`"
        out.append(f"| {label} | {x['flood_sent']:,} ({x['flood_rate']:,}) | {answers} | {x['legit_logins']:,} | "
                   f"{refused} | {x['legit_p50_ms']} ms | {x['legit_p99_ms']} ms | {x['legit_max_ms']} ms |")
    out.append("\nCONNACK codes: 0 accepted, 4 bad user name or password, 5 not authorized (a ban, in 3.1.1), 3 "
               "server unavailable (busy).\n")

floods_file = sys.argv[2] if len(sys.argv) > 2 else None
floods = []
if floods_file:
    try:
        with open(floods_file) as f:
            floods = [json.loads(l) for l in f if l.strip() and '"scenario"' in l]
    except FileNotFoundError:
        pass
if floods:
    names = {"mast": "Mast", "mosquitto": "Mosquitto", "hivemq": "HiveMQ CE", "moquette": "Moquette"}
    out.append("**The fan-in and fan-out floods of `bench/compare.sh`** under the new default (QoS 0, 100 publishers "
               "to 1 subscriber and 1 publisher to 100 subscribers, no warm-up, "
               "`SCENARIOS=\"fanin fanout\" bash bench/compare.sh`). *Undelivered* is what the subscribers had not "
               "received 10 s after the publishers stopped; for Mast, *dropped* is what its own counters "
               "(`messages.dropped.*`) say it dropped in those runs, by reason:\n")
    out.append("| scenario | broker | sent/s | received/s | delivered | undelivered | dropped (counted) | broker memory |")
    out.append("|---|---|---|---|---|---|---|---|")
    for sc in ("fanin", "fanout"):
        for b in ("mast", "mosquitto", "hivemq", "moquette"):
            rs = [r for r in floods if r["broker"] == b and r["scenario"] == sc and r.get("result")]
            if not rs:
                continue
            res = [r["result"] for r in rs]
            sent = med([x["send_rate"] for x in res])
            recv = med([x["receive_rate"] for x in res])
            lost = sum(x["lost"] for x in res if x.get("lost") and x["lost"] > 0)
            expected = sum(x["expected"] for x in res if x.get("expected") and x["expected"] > 0)
            ratio = f"{1 - lost / expected:.1%}" if expected else "–"
            drops = {}
            for r in rs:
                for k, v in (r.get("dropped") or {}).items():
                    drops[k] = drops.get(k, 0) + v
            dropped = ", ".join(f"{v:,} {k.replace('messages.dropped.', '')}" for k, v in sorted(drops.items()) if v) \
                if any("dropped" in r for r in rs) else "–"
            rss = [r.get("rss_kb") for r in rs if r.get("rss_kb")]
            mem = f"{med(rss) / 1024:,.0f} MB RSS" if rss else "–"
            out.append(f"| {sc} | {names[b]} | {sent:,.0f} | {recv:,.0f} | {ratio} | {lost:,} of {expected:,} | "
                       f"{dropped} | {mem} |")
    out.append("")

print("\n".join(out))
