#!/usr/bin/env python3
"""Writes docs/benchmarks.md from the results of bench/compare.sh, bench/mast-only.sh, bench/generator.sh and
bench/jmh.sh (bench/work/results/), plus the hand-written analysis in bench/notes.md. Run by those scripts; can be
run alone to re-render."""
import json
import re
import os
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "work", "results")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")

PEERS = ["mosquitto", "hivemq", "moquette"]
BROKER_NAMES = {"mast": "Mast", "mosquitto": "Mosquitto", "hivemq": "HiveMQ CE", "moquette": "Moquette"}
SCENARIOS = [
    ("qos0-1to1", "QoS 0, 1 publisher → 1 subscriber", "throughput"),
    ("qos1-1to1", "QoS 1, 1 publisher → 1 subscriber", "throughput"),
    ("fanin", "fan-in, 100 publishers → 1 subscriber, QoS 0", "throughput"),
    ("fanout", "fan-out, 1 publisher → 100 subscribers, QoS 0", "throughput"),
    ("latency", "p99 latency at 10,000 msg/s, QoS 1, 1 → 1", "latency"),
    ("memory", "memory per idle connection, 10,000 connections", "memory"),
]


def load_lines(name):
    path = os.path.join(RESULTS, name)
    if not os.path.exists(path):
        return None, []
    header, rows = None, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "machine" in obj:
                header = obj
            else:
                rows.append(obj)
    return header, rows


def fmt_rate(v):
    return "–" if v is None else f"{v:,.0f}"


def fmt_ms(v):
    if v is None:
        return "–"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def fmt_kb(v):
    return "–" if v is None else (f"{v:.1f}" if v < 100 else f"{v:,.0f}")


def spread(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))}–{fmt(max(values))})"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def metric(row, kind):
    r = row.get("result")
    if kind == "throughput":
        return r.get("receive_rate") if r else None
    if kind == "latency":
        return r.get("latency_ms_p99") if r else None
    if kind == "memory":
        n = r.get("connected") if r else None
        if not n or row.get("rss_after_kb") is None:
            return None
        return (row["rss_after_kb"] - row["rss_before_kb"]) / n
    return None


def heap_per_conn(row):
    r = row.get("result")
    n = r.get("connected") if r else None
    if not n or row.get("heap_after_kb") is None or row.get("heap_before_kb") is None:
        return None
    return (row["heap_after_kb"] - row["heap_before_kb"]) / n


def lost_pct(rows):
    lost = sum((r["result"] or {}).get("lost", 0) or 0 for r in rows if r.get("result"))
    exp = sum((r["result"] or {}).get("expected", 0) or 0 for r in rows if r.get("result"))
    return 100.0 * lost / exp if exp else 0.0


def machine_section(header):
    m = header["machine"]
    return (f"| | |\n|---|---|\n| CPU | {m['cpu']}, `nproc` = {m['nproc']} |\n| memory | {m['memory']} |\n"
            f"| kernel | {m['kernel']} |\n| JDK | {m['jdk']} |\n| Mosquitto | {m['mosquitto']} |\n"
            f"| measured | {m['date']} |\n")


def compare_section(header, rows):
    out = []
    s = header["settings"]
    out.append("## Mast side by side with Mosquitto, HiveMQ CE and Moquette\n")
    out.append(f"Measured by `bench/compare.sh` on this machine:\n\n{machine_section(header)}")
    out.append(
        f"Each broker runs alone on 127.0.0.1 in memory-only mode with a queue of 1,000 messages per client (Mast "
        f"`max_queued_messages: 1000`, `max_inflight_messages: 32`; Mosquitto `persistence false`, "
        f"`max_queued_messages 1000`, `max_inflight_messages 32`, `set_tcp_nodelay true`; HiveMQ CE "
        f"`<max-queue-size>1000</max-queue-size>`, `in-memory` persistence; Moquette `persistence_enabled=false`, "
        f"`session_queue_size=1000`, `telemetry_enabled=false`, `allow_zero_byte_client_id=true`). JVM brokers run on "
        f"the same JDK with `{s['broker_jvm']}`; the load generator `mast bench` (`{s['bench_jvm']}`, clients with "
        f"TCP_NODELAY, 2 I/O threads) runs on the same 2 cores. All clients speak MQTT 3.1.1 (`{s['version']}`), the "
        f"only version Moquette 0.17 has. Each scenario runs {s['runs']} times for {s['seconds']} s after "
        f"{s['warmup']} s of unmeasured warm-up, on a broker process started afresh for each scenario; the table "
        f"gives the median and, in brackets, the lowest and highest run.\n")
    out.append("Throughput is what the subscribers **received** per second (each copy of a fan-out counts), counted "
               "exactly from sequence numbers in the payloads. *Undelivered* is what the subscribers had not received "
               "10 s after the publishers stopped (or after 2 s without progress): messages a broker dropped, and "
               "messages it accepted (or that sat in socket buffers) but had not delivered yet. The last column "
               "is Mast's median divided by the best peer's (for latency and memory, where lower is better, the "
               "best peer's divided by Mast's): above 1 Mast is ahead, below 1 it is behind.\n")
    brokers = [b for b in ["mast"] + PEERS if any(r["broker"] == b for r in rows)]
    out.append("| scenario | " + " | ".join(BROKER_NAMES[b] for b in brokers) + " | Mast vs best peer |")
    out.append("|---" * (len(brokers) + 2) + "|")
    for key, title, kind in SCENARIOS:
        cells = []
        medians = {}
        for b in brokers:
            rs = [r for r in rows if r["broker"] == b and r["scenario"] == key]
            vals = [metric(r, kind) for r in rs]
            medians[b] = median(vals)
            if kind == "throughput":
                cell = spread(vals, fmt_rate)
                lp = lost_pct(rs)
                if lp > 0:
                    cell += f" <br>undelivered {lp:.2g}%"
            elif kind == "latency":
                cell = spread(vals, fmt_ms) + (" ms" if vals and any(v is not None for v in vals) else "")
                rates = [(r["result"] or {}).get("receive_rate") for r in rs if r.get("result")]
                if rates and median(rates) is not None and median(rates) < 9500:
                    cell += f" <br>only {median(rates):,.0f} msg/s"
            else:
                cell = spread(vals, fmt_kb) + (" KB RSS" if any(v is not None for v in vals) else "")
                heaps = [heap_per_conn(r) for r in rs]
                if any(h is not None for h in heaps):
                    cell += f" <br>{fmt_kb(median(heaps))} KB heap"
            errs = sum((r["result"] or {}).get("errors", 0) for r in rs if r.get("result"))
            if errs:
                cell += f" <br>{errs} errors"
            cells.append(cell)
        unit = {"throughput": "msg/s", "latency": "", "memory": ""}[kind]
        peers = [medians[b] for b in brokers if b != "mast" and medians.get(b) is not None]
        ratio = "–"
        m = medians.get("mast")
        if m is not None and peers:
            if kind == "throughput":
                best = max(peers)
                rv = m / best if best else None
            else:
                best = min(peers)
                rv = best / m if m else None
            if rv is not None:
                word = "ahead" if rv >= 1.0 else "**behind**"
                best_name = [BROKER_NAMES[b] for b in brokers if b != "mast" and medians.get(b) == best][0]
                ratio = f"{rv:.2f}x {word} ({best_name})"
        out.append(f"| {title}{' (' + unit + ')' if unit else ''} | " + " | ".join(cells) + f" | {ratio} |")
    out.append("")
    out.append("Details per scenario (medians): messages sent and received per second, messages undelivered in all runs, "
               "end-to-end latency p50 / p99 (from the publish call to the subscriber, queueing in the client "
               "included: at an unlimited rate it measures the queues, not the broker).\n")
    out.append("*Dropped (counted)* is what Mast's own counters (`messages.dropped.*`, read from its admin API before "
               "and after each run) say it dropped, by reason, in all runs: the part of the undelivered messages that "
               "the broker chose to drop (a subscriber's full queue), against the messages still on their way.\n")
    out.append("| scenario | broker | sent/s | received/s | undelivered | dropped (counted) | p50 ms | p99 ms | errors |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for key, title, kind in SCENARIOS:
        if kind == "memory":
            continue
        for b in brokers:
            rs = [r for r in rows if r["broker"] == b and r["scenario"] == key and r.get("result")]
            if not rs:
                continue
            res = [r["result"] for r in rs]
            out.append(f"| {key} | {BROKER_NAMES[b]} | {fmt_rate(median([x['send_rate'] for x in res]))} | "
                       f"{fmt_rate(median([x['receive_rate'] for x in res]))} | "
                       f"{sum(x['lost'] for x in res if x['lost'] and x['lost'] > 0):,} of "
                       f"{sum(x['expected'] for x in res if x['expected'] and x['expected'] > 0):,} | "
                       f"{dropped_cell(rs)} | "
                       f"{fmt_ms(median([x['latency_ms_p50'] for x in res]))} | "
                       f"{fmt_ms(median([x['latency_ms_p99'] for x in res]))} | {sum(x['errors'] for x in res)} |")
    out.append("")
    mem = [r for r in rows if r["scenario"] == "memory"]
    if mem:
        out.append("Idle connections: the broker's resident memory (`VmRSS` of `/proc/<pid>/status`) and, for JVM "
                   "brokers, heap used after a full GC (`jcmd <pid> GC.run`, then `GC.heap_info`), before and "
                   "while it holds the connections; per connection is the difference divided by the connections "
                   "accepted.\n")
        out.append("| broker | run | connections | RSS before → with (MB) | heap before → with (MB) | KB RSS / conn | KB heap / conn |")
        out.append("|---|---|---|---|---|---|---|")
        for r in mem:
            res = r.get("result") or {}
            hb, ha = r.get("heap_before_kb"), r.get("heap_after_kb")
            heap = f"{hb / 1024:.0f} → {ha / 1024:.0f}" if hb is not None and ha is not None else "–"
            rss = (f"{r['rss_before_kb'] / 1024:.0f} → {r['rss_after_kb'] / 1024:.0f}"
                   if r.get("rss_after_kb") is not None else "–")
            out.append(f"| {BROKER_NAMES[r['broker']]} | {r['run']} | {res.get('connected', '–')} | {rss} | {heap} | "
                       f"{fmt_kb(metric(r, 'memory'))} | {fmt_kb(heap_per_conn(r))} |")
        out.append("")
    out.append("The exact commands (`-h 127.0.0.1 -p <port>` is the broker under test):\n")
    out.append("```sh")
    seen = set()
    for key, title, kind in SCENARIOS:
        for r in rows:
            if r["scenario"] == key and key not in seen:
                seen.add(key)
                out.append(f"# {title}")
                out.append(r["cmd"].replace("java ", "java ", 1))
    out.append("```\n")
    return "\n".join(out)


def dropped_cell(rs):
    """The drops a broker counted in these runs, by reason ("–" for brokers whose counters are not read)."""
    if not any("dropped" in r for r in rs):
        return "–"
    total = {}
    for r in rs:
        for k, v in (r.get("dropped") or {}).items():
            total[k] = total.get(k, 0) + v
    parts = [f"{v:,} {k.replace('messages.dropped.', '')}" for k, v in sorted(total.items()) if v]
    return ", ".join(parts) if parts else "0"


def cost_table(rows, groups, baseline, scenarios, title_of):
    out = ["| configuration | " + " | ".join(title_of(s) for s in scenarios) + " |",
           "|---" * (len(scenarios) + 1) + "|"]
    base = {}
    for s in scenarios:
        base[s] = median([(r["result"] or {}).get("receive_rate") for r in rows
                          if r["broker"] == baseline and r["scenario"] == s and r.get("result")])
    for label, name in groups:
        cells = []
        for s in scenarios:
            rs = [r for r in rows if r["broker"] == label and r["scenario"] == s and r.get("result")]
            vals = [r["result"]["receive_rate"] for r in rs]
            if not vals:
                cells.append("–")
                continue
            cell = spread(vals, fmt_rate) + " msg/s"
            m = median(vals)
            if label != baseline and base.get(s):
                cell += f" <br>**{100.0 * (1 - m / base[s]):+.1f}% cost**".replace("+-", "-")
            lp = lost_pct(rs)
            if lp > 0:
                cell += f" <br>lost {lp:.2g}%"
            p99 = median([r["result"]["latency_ms_p99"] for r in rs])
            errs = sum(r["result"]["errors"] for r in rs)
            if errs:
                cell += f" <br>{errs} errors"
            cells.append(cell)
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def run_settings(rows):
    """The settings of a group of rows, read from their commands (a group may come from a run of its own)."""
    cmds = [r["cmd"] for r in rows if r.get("cmd")]
    if not cmds:
        return ""
    secs = re.search(r"--seconds (\S+)", cmds[0])
    warm = re.search(r"--warmup (\S+)", cmds[0])
    runs = max(r["run"] for r in rows)
    text = f" These rows: {runs} runs of {secs.group(1) if secs else '?'} s after {warm.group(1) if warm else '?'} s " \
           "of warm-up"
    pin = re.match(r"taskset -c (\S+) ", cmds[0])
    if pin:
        text += f"; the load generator pinned to CPU {pin.group(1)} and the broker to the other core (`BROKER_CPUS`, " \
                "`BENCH_CPUS`)"
    return text + "."


def cpu_table(rows, groups, baseline, scenario, settings, what="QoS 1, 1 → 1"):
    """The broker's CPU time per message at a fixed rate: the same messages for every configuration."""
    def per_msg(r):
        res = r["result"]
        measured = res["seconds"]
        warm = re.search(r"--warmup (\S+)", r.get("cmd", ""))
        warmup = float(warm.group(1)) if warm else settings["warmup"]
        total = res["sent"] * (measured + warmup) / measured  # warm-up ran at the same rate
        return r["broker_cpu_s"] * 1e6 / total if total else None

    rs = [r for r in rows if r["scenario"] == scenario and r.get("result") and r.get("broker_cpu_s") is not None]
    if not rs:
        return ""
    rate = rs[0]["result"]["send_rate"]
    out = [f"Broker CPU time per message at a fixed rate ({what}, about {fmt_rate(rate)} msg/s for every "
           "configuration): user + system time of the broker process (`/proc/<pid>/stat`) over the whole run, "
           "divided by the messages published in it (warm-up included); each recorded run follows two unrecorded "
           "ones on the same broker, so that its JIT compilers are done." + run_settings(rs) + "\n",
           "| configuration | broker CPU per message | received |", "|---|---|---|"]
    base = median([per_msg(r) for r in rs if r["broker"] == baseline])
    for label, name in groups:
        mine = [r for r in rs if r["broker"] == label]
        vals = [per_msg(r) for r in mine]
        if not vals:
            continue
        cell = spread(vals, lambda v: f"{v:.2f}") + " µs"
        if label != baseline and base:
            cell += f" <br>**{100.0 * (median(vals) / base - 1):+.1f}% cost**"
        lp = lost_pct(mine)
        out.append(f"| {name} | {cell} | {median([r['result']['receive_rate'] for r in mine]):,.0f} msg/s"
                   + (f", lost {lp:.2g}%" if lp > 0 else "") + " |")
    return "\n".join(out) + "\n"


def mast_only_section(header, rows):
    s = header["settings"]
    out = ["## Mast's own figures\n",
           f"Measured by `bench/mast-only.sh` (same machine; {s['runs']} runs of {s['seconds']} s after {s['warmup']} s "
           f"of warm-up each, MQTT 5.0 clients, medians with lowest–highest run; the broker with `{s['broker_jvm']}`). "
           "Throughput is messages received per second at an unlimited rate, the same `mast bench` scenario for "
           "every configuration of a table; the cost is the drop against its first line.\n"]
    title = {"qos0-1to1": "QoS 0, 1 → 1", "qos1-1to1": "QoS 1, 1 → 1", "qos1-persistent": "QoS 1, 1 → 1, persistent sessions",
             "qos1-100pairs": "QoS 1, 100 publishers → 100 subscribers (pairs)", "qos1-fixed": "QoS 1, 1 → 1, fixed rate"}
    if any(r["broker"].startswith("plugins-") for r in rows):
        out.append("### Plugins: the ACL file plugin (issue 3, goal: at most 5% cost)\n")
        out.append("`io.mast.plugins.AclFilePlugin` checks every PUBLISH and every delivery (RECEIVE) against an ACL "
                   "file (`topic readwrite bench/#`, `pattern readwrite clients/%c/#`). The two configurations take "
                   "turns, a fresh broker for every run." + run_settings([r for r in rows
                                                                         if r["broker"].startswith("plugins-")
                                                                         and r["scenario"] != "qos1-fixed"]) + "\n")
        out.append(cost_table(rows, [("plugins-none", "no plugin"), ("plugins-acl", "AclFilePlugin")], "plugins-none",
                              ["qos0-1to1", "qos1-1to1"], title.get))
        if any(r["scenario"] == "qos1-fixed" and r.get("broker_cpu_s") is not None for r in rows):
            out.append(cpu_table(rows, [("plugins-none", "no plugin"), ("plugins-acl", "AclFilePlugin")],
                                 "plugins-none", "qos1-fixed", s))
    if any(r["broker"].startswith("exhook-") for r in rows):
        out.append("### ExHook: a no-op hook server on message.publish (issues 4 and 17, goal: the Java one over "
                   "Mast's stream costs at most 25%)\n")
        out.append("The hook servers register `message.publish` only and return each message unchanged: "
                   "`bench/hooks/NoopHook.java` (Java SDK) and `bench/hooks/noop_hook.py` (Python SDK, Debian's "
                   "python3 with grpcio), started by the broker itself (`exhook.servers[].command`). The SDKs serve "
                   "Mast's streaming mode, which the broker uses by default; `streaming: false` makes it call them "
                   "with EMQX's unary RPCs.\n")
        groups = [("exhook-none", "no hook server"), ("exhook-java", "no-op Java hook server, Mast's stream"),
                  ("exhook-java-unary", "no-op Java hook server, unary calls"),
                  ("exhook-java-unary-inflight", "no-op Java hook server, unary, `publish_inflight: 32`"),
                  ("exhook-python", "no-op Python hook server, Mast's stream"),
                  ("exhook-python-unary", "no-op Python hook server, unary calls")]
        out.append(cost_table(rows, groups, "exhook-none", ["qos1-1to1", "qos1-100pairs"], title.get))
        lat = [r for r in rows if r["scenario"] == "qos1-latency" and r.get("result")]
        if lat:
            out.append("p99 latency at a fixed rate (QoS 1, 1 → 1, `--rate` in the commands below):\n")
            out.append("| configuration | p99 latency | p50 latency |\n|---|---|---|")
            for label, name in groups:
                mine = [r for r in lat if r["broker"] == label]
                if mine:
                    out.append(f"| {name} | {spread([r['result']['latency_ms_p99'] for r in mine], lambda v: f'{v:.2f}')}"
                               f" ms | {median([r['result']['latency_ms_p50'] for r in mine]):.2f} ms |")
            out.append("")
        if any(r["scenario"] == "qos1-100pairs-fixed" for r in rows):
            out.append(cpu_table(rows, [("exhook-cpu-before-none", "no hook server (before)"),
                                        ("exhook-cpu-before-java-unary", "no-op Java hook server, unary (before)"),
                                        ("exhook-cpu-none", "no hook server"),
                                        ("exhook-cpu-java-unary", "no-op Java hook server, unary")],
                                 "exhook-cpu-none", "qos1-100pairs-fixed", s, "QoS 1, 100 publishers → 100 subscribers"))
    if any(r["broker"].startswith("storage-") for r in rows):
        out.append("### Storage: QoS 1 to persistent sessions (issue 6)\n")
        out.append("Clients with `-c` (Clean Start 0, session expiry never); every QoS 1 message is stored for its "
                   "session before the publisher gets PUBACK.\n")
        out.append(cost_table(rows, [("storage-memory", "`storage: memory`"),
                                     ("storage-interval", "RocksDB, `sync: interval` (default, 1 s)"),
                                     ("storage-always", "RocksDB, `sync: always`")], "storage-memory",
                              ["qos1-persistent"], title.get))
    out.append("The commands:\n\n```sh")
    seen = set()
    for r in rows:
        k = (r["broker"], r["scenario"])
        if k not in seen:
            seen.add(k)
            out.append(f"# {r['broker']}, {r['scenario']}")
            out.append(r["cmd"])
    out.append("```\n")
    out.append("The broker configurations are written by `bench/mast-only.sh` (its `MAST_YAML` settings).\n")
    return "\n".join(out)


def generator_section(rows):
    out = ["## How hard `mast bench` drives a broker\n",
           "Measured by `bench/generator.sh`: one publisher at QoS 0, 64-byte payloads, a fixed count of messages "
           "(see the commands), `mosquitto_pub -l` (one message per line of a prepared file) against `mast bench "
           "pub`, each against the same broker. The first two columns are messages per second of the whole run "
           "(process start included, which costs a JVM more); the third is `mast bench`'s own rate while "
           "publishing, the figure comparable to a running generator.\n",
           "| broker | `mosquitto_pub -l` | `mast bench pub`, whole run | `mast bench pub`, publishing | ratio (publishing) |",
           "|---|---|---|---|---|"]
    for b in sorted({r["broker"] for r in rows}):
        mp = median([r["rate"] for r in rows if r["broker"] == b and r["tool"] == "mosquitto_pub"])
        mb = median([r["rate"] for r in rows if r["broker"] == b and r["tool"] == "mast-bench"])
        own = median([(r.get("result") or {}).get("send_rate") for r in rows
                      if r["broker"] == b and r["tool"] == "mast-bench" and (r.get("result") or {}).get("send_rate")])
        ratio = f"{own / mp:.2f}x" if mp and own else "–"
        out.append(f"| {BROKER_NAMES.get(b, b)} | {fmt_rate(mp)} msg/s | {fmt_rate(mb)} msg/s | {fmt_rate(own)} msg/s "
                   f"| {ratio} |")
    out.append("\n```sh")
    seen = set()
    for r in rows:
        if r["tool"] not in seen:
            seen.add(r["tool"])
            out.append(r["cmd"])
    out.append("```\n")
    return "\n".join(out)


def jmh_section(results):
    out = ["## Micro-benchmarks (JMH)\n",
           "Module `mast-bench` (JMH 1.37), built by `./mvnw package` but never run by the build. Run them all with "
           "`bench/jmh.sh`, or some: `java -jar mast-bench/target/benchmarks.jar TopicTreeBenchmark.match -p "
           "subscriptions=1000000` (any JMH option; `-l` lists them). Scores are averages with their 99.9% error. The "
           "figures below were measured with `bench/jmh.sh -wi 2 -i 3 -w 1 -r 1 -p subscriptions=1000,100000,1000000 "
           "-p wildcardPercent=0,10` (short iterations, hence the wide errors).\n"]
    by_class = {}
    for r in results:
        cls, _, method = r["benchmark"].rpartition(".")
        by_class.setdefault(cls.rpartition(".")[2], []).append((method, r))
    notes = {
        "TopicTreeBenchmark": "The topic tree: `match` looks up one topic of six levels among N subscriptions (each "
                              "of its own session) with a share of wildcard filters (half `+` at one level, half "
                              "`.../#`); `subscribeUnsubscribe` adds and removes one subscription in the full tree.",
        "CodecBenchmark": "One PUBLISH (QoS 1, topic of five levels; MQTT 5.0 with a content type and a user "
                          "property) decoded from and encoded to a pooled buffer.",
        "RecoveryBenchmark": "Recovery from RocksDB: 10,000 persistent sessions, each with a subscription and 10 "
                             "queued QoS 1 messages (100,000 in all). `load`: open the store and read it all "
                             "(`Persistence.load`); `brokerStart`: a broker starting on the store, sessions and "
                             "queues restored, until it listens. Single shots.",
        "PluginDecisionBenchmark": "The decisions of one message delivered 1 → 1 (the publisher's PUBLISH check and "
                                   "the subscriber's RECEIVE check) through the broker's policy and plugin runtime: "
                                   "`none` without plugins, `acl` with `AclFilePlugin` and the ACL file of the "
                                   "plugin figures above. Measured with `bench/jmh.sh PluginDecisionBenchmark -f 2` "
                                   "(the class's own settings: 3 × 2 s warm-up, 5 × 2 s measured, per fork).",
    }
    for cls, items in by_class.items():
        out.append(f"### {cls}\n")
        if cls in notes:
            out.append(notes[cls] + "\n")
        params = sorted({k for _, r in items for k in (r.get("params") or {})})
        out.append("| benchmark | " + " | ".join(params) + " | score | error | unit |")
        out.append("|---" * (len(params) + 4) + "|")
        for method, r in items:
            p = r.get("params") or {}
            m = r["primaryMetric"]
            err = m.get("scoreError")
            err_s = "–" if err is None or err != err else f"± {err:,.1f}"
            out.append(f"| {method} | " + " | ".join(str(p.get(k, "")) for k in params)
                       + f" | {m['score']:,.1f} | {err_s} | {m['scoreUnit']} |")
        out.append("")
    return "\n".join(out)


def main():
    parts = ["# Benchmarks\n",
             "Everything here is measured on the project's 2-core machine by the scripts in `bench/`, which also "
             "wrote this file (`bench/report.py`); sections measured by other means are kept in `bench/figures/`, and the "
             "analysis at the end is `bench/notes.md`. Speed is measured "
             "here and never asserted in tests.\n",
             "## Running them\n",
             "```sh\n"
             "bench/build.sh                                       # builds the jars (Maven, under the machine lock)\n"
             "flock -o /tmp/mast-maven.lock bash bench/compare.sh     # Mast vs Mosquitto, HiveMQ CE, Moquette (~30 min)\n"
             "flock -o /tmp/mast-maven.lock bash bench/mast-only.sh   # plugins, ExHook, storage (~15 min)\n"
             "flock -o /tmp/mast-maven.lock bash bench/generator.sh   # mast bench against mosquitto_pub -l\n"
             "flock -o /tmp/mast-maven.lock bash bench/jmh.sh         # topic tree, codec, recovery (JMH)\n"
             "```\n",
             "Holding `/tmp/mast-maven.lock` keeps Maven builds (`mvnl`) off the machine while measuring; the scripts "
             "themselves never build. Each writes its raw results as JSON lines to `bench/work/results/` (not "
             "committed) and then renders this file again from all results present. `RUNS`, `SECS`, `WARMUP`, "
             "`BROKERS`, `SCENARIOS` and `PORT` adjust them (see each script's header).\n",
             "`mast bench` itself: `./mast bench --help`; scenarios `conn`, `pub`, `sub`, `pubsub` (topologies `1to1`, "
             "`fanin`, `fanout`), a live line every second on standard error, a summary table (or `--json`, `--csv`) "
             "on standard output, exit code 1 on errors, on a message lost at QoS 1 or 2, or on a duplicate at QoS 2. "
             "Latency is measured end to end from a time stamp in the payload into an HdrHistogram; every message "
             "carries its publisher and sequence number, so sent, received, lost and duplicate counts are exact.\n"]
    h, rows = load_lines("compare.jsonl")
    if h and rows:
        parts.append(compare_section(h, rows))
    h2, rows2 = load_lines("mast-only.jsonl")
    if h2 and rows2:
        parts.append(mast_only_section(h2, rows2))
    h3, rows3 = load_lines("generator.jsonl")
    if rows3:
        parts.append(generator_section(rows3))
    jmh = os.path.join(RESULTS, "jmh.json")
    if os.path.exists(jmh):
        with open(jmh) as f:
            try:
                parts.append(jmh_section(json.load(f)))
            except json.JSONDecodeError:
                pass
    # Figures measured by hand or by scripts whose output is not rendered here: one file per topic in
    # bench/figures/, each with its commands, kept verbatim and in name order.
    figures = os.path.join(ROOT, "bench", "figures")
    if os.path.isdir(figures):
        for name in sorted(os.listdir(figures)):
            if name.endswith(".md"):
                with open(os.path.join(figures, name)) as f:
                    parts.append(f.read())
    notes = os.path.join(ROOT, "bench", "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            parts.append(f.read())
    with open(DOC, "w") as f:
        f.write("\n".join(parts).rstrip() + "\n")
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
