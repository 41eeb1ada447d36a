#!/usr/bin/env python3
"""Steady-state probe for tests/bench/run-e2e-graph.sh steady: watches a running secfeed
through /proc and its /metrics endpoint and prints key=value lines.

1. Warm-up (the first poll cycle, i.e. the backfill): waits until every poller has
   completed a round (`secfeed_source_last_success_timestamp_seconds` > 0 for every
   (source, tenant); EXPECTED pollers in all).
2. Steady window of SECONDS: CPU (utime+stime of the process) over the window in % of
   one core, RSS at the end (VmRSS) and the peak (VmHWM); /metrics is scraped every
   SCRAPE seconds.
3. Poll lateness of the graph_alerts/graph_incidents pollers:
   `secfeed_graph_poll_start_delay_seconds` (how much later than previous start +
   interval a round started) of every round seen in the window from the third round on
   (`secfeed_graph_polls_total` >= 3: the second round's delay is the backfill round's
   duration). Secure Score has no such gauge: its cadence is taken from the completion
   times (the last_success gauge's values) instead: consecutive completions in the
   window, minus the interval.

Usage: steady_probe.py PID METRICS_URL EXPECTED SECONDS INTERVAL_S START_EPOCH [SCRAPE_S]
(START_EPOCH: when secfeed was started; the warm-up is counted from it)
"""
import re
import sys
import time
import urllib.request

LINE = re.compile(r'^(\w+)\{([^}]*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def scrape(url):
    """{(name, source, tenant): value} of the per-tenant series we use."""
    wanted = ("secfeed_source_last_success_timestamp_seconds", "secfeed_graph_polls_total",
              "secfeed_graph_poll_start_delay_seconds")
    out = {}
    with urllib.request.urlopen(url, timeout=30) as response:
        for raw in response.read().decode().splitlines():
            if not raw.startswith(wanted):
                continue
            match = LINE.match(raw)
            if not match:
                continue
            labels = dict(LABEL.findall(match.group(2)))
            out[(match.group(1), labels.get("source"), labels.get("tenant"))] = float(match.group(3))
    return out


def cpu_seconds(pid, clk):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / clk


def status_kb(pid, key):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    import os
    pid, url, expected, seconds, interval = (int(sys.argv[1]), sys.argv[2], int(sys.argv[3]),
                                             float(sys.argv[4]), float(sys.argv[5]))
    started = float(sys.argv[6])
    scrape_every = float(sys.argv[7]) if len(sys.argv) > 7 else 5.0
    clk = os.sysconf("SC_CLK_TCK")
    while True:
        try:
            metrics = scrape(url)
        except OSError as error:  # not listening yet
            print("waiting for /metrics: %s" % error, file=sys.stderr, flush=True)
            time.sleep(1)
            continue
        done = sum(1 for (name, _, _), v in metrics.items()
                   if name == "secfeed_source_last_success_timestamp_seconds" and v > 0)
        if done >= expected:
            break
        print("warming up: %d of %d pollers completed a round" % (done, expected),
              file=sys.stderr, flush=True)
        time.sleep(2)
    warmup = time.time() - started
    window_start = time.time()
    cpu_start = cpu_seconds(pid, clk)
    rounds_start = {k[1:]: v for k, v in metrics.items() if k[0] == "secfeed_graph_polls_total"}
    delays = {}  # (source, tenant, round) -> delay
    completions = {}  # (source, tenant) -> set of last_success values seen
    scrapes = 0
    while time.time() - window_start < seconds:
        time.sleep(min(scrape_every, max(0.0, seconds - (time.time() - window_start))))
        metrics = scrape(url)
        scrapes += 1
        for (name, source, tenant), value in metrics.items():
            if name == "secfeed_graph_poll_start_delay_seconds":
                rounds = metrics.get(("secfeed_graph_polls_total", source, tenant), 0)
                if rounds >= 3:
                    delays[(source, tenant, rounds)] = value
            elif name == "secfeed_source_last_success_timestamp_seconds" and value >= window_start:
                completions.setdefault((source, tenant), set()).add(value)
    window = time.time() - window_start
    cpu = cpu_seconds(pid, clk) - cpu_start
    rounds_end = {k[1:]: v for k, v in metrics.items() if k[0] == "secfeed_graph_polls_total"}
    rounds = [rounds_end[k] - rounds_start.get(k, 0) for k in rounds_end]
    values = list(delays.values())
    per_source = {}
    for (source, _, _), value in delays.items():
        per_source[source] = max(per_source.get(source, 0.0), value)
    score_late = []
    for (source, _), times in completions.items():
        if "secure" not in source:
            continue
        times = sorted(times)
        score_late += [b - a - interval for a, b in zip(times, times[1:])]
    print("warmup_s=%.1f" % warmup)
    print("window_s=%.1f" % window)
    print("scrapes=%d" % scrapes)
    print("cpu_s=%.2f" % cpu)
    print("cpu_pct=%.1f" % (cpu / window * 100))
    print("rss_end_mb=%.1f" % (status_kb(pid, "VmRSS") / 1024))
    print("rss_peak_mb=%.1f" % (status_kb(pid, "VmHWM") / 1024))
    print("graph_pollers=%d" % len(rounds_end))
    print("rounds_per_poller_min=%d" % (min(rounds) if rounds else 0))
    print("rounds_per_poller_max=%d" % (max(rounds) if rounds else 0))
    print("rounds_seen=%d" % len(values))
    print("lateness_max_s=%.2f" % (max(values) if values else float("nan")))
    print("lateness_p50_s=%.2f" % percentile(values, 50))
    print("lateness_p99_s=%.2f" % percentile(values, 99))
    for source, value in sorted(per_source.items()):
        print("lateness_max_s_%s=%.2f" % (source, value))
    print("secure_score_periods_seen=%d" % len(score_late))
    print("secure_score_lateness_max_s=%.1f" % (max(score_late) if score_late else float("nan")))


if __name__ == "__main__":
    main()
