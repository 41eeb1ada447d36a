#!/usr/bin/env python3
"""Counting line receiver for tests/bench/run-e2e-graph.sh: reads INPUT as lines arrive
(a FIFO, read until its writer closes it, or a growing file, followed until SIGTERM),
counts the lines that start with `{` (JSON payloads; anything else, e.g. a consumer's
closing report, is ignored) and keeps STATUS_FILE up to date with
`count first_epoch last_epoch` (receive times of the first and the last line, seconds),
the format tests/bench/e2e/lib.sh's `measure` reads.

With --time-field NAME each line's `"NAME":"<ISO 8601>"` is also looked up and
`created_epoch receive_epoch` appended to STATUS_FILE.latency, for end-to-end latency
(creation at the emulator to arrival here; both clocks are this machine's).

Usage: line_receiver.py [--time-field NAME] STATUS_FILE INPUT
"""
import argparse
import datetime
import os
import re
import select
import signal
import stat
import sys
import time


def parse_iso(text):
    # 2026-11-22T12:00:00.1234567Z: fromisoformat takes at most 6 fraction digits.
    text = text.rstrip("Z")
    if "." in text:
        head, frac = text.split(".", 1)
        text = head + "." + frac[:6].ljust(6, "0")
    moment = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-field")
    parser.add_argument("status")
    parser.add_argument("input")
    args = parser.parse_args()
    pattern = None
    if args.time_field:
        pattern = re.compile(rb'"' + re.escape(args.time_field.encode()) + rb'":"([^"]+)"')
    state = {"count": 0, "first": 0.0, "last": 0.0}

    def write_status():
        tmp = args.status + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d %.6f %.6f\n" % (state["count"], state["first"], state["last"]))
        os.replace(tmp, args.status)

    write_status()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    latency = open(args.status + ".latency", "w") if pattern else None
    is_fifo = stat.S_ISFIFO(os.stat(args.input).st_mode)
    source = open(args.input, "rb", buffering=0)
    pending = b""
    last_flush = 0.0
    dirty = False
    while not stopping:
        # A FIFO read blocks: wait at most 50 ms so the status of the last lines is written.
        if is_fifo and not select.select([source], [], [], 0.05)[0]:
            if dirty:
                write_status()
                dirty = False
                if latency:
                    latency.flush()
            continue
        data = source.read(1 << 20)
        now = time.time()
        if not data:
            if is_fifo:
                break  # the writer closed it
            if dirty:
                write_status()
                dirty = False
                if latency:
                    latency.flush()
            time.sleep(0.01)
            continue
        pending += data
        lines = pending.split(b"\n")
        pending = lines.pop()
        n = 0
        for line in lines:
            if not line.startswith(b"{"):
                continue
            n += 1
            if pattern:
                match = pattern.search(line)
                if match:
                    latency.write("%.6f %.6f\n" % (parse_iso(match.group(1).decode()), now))
        if n:
            if state["count"] == 0:
                state["first"] = now
            state["count"] += n
            state["last"] = now
            dirty = True
        if dirty and now - last_flush >= 0.05:
            write_status()
            dirty = False
            last_flush = now
            if latency:
                latency.flush()
    write_status()
    if latency:
        latency.close()


if __name__ == "__main__":
    sys.exit(main())
