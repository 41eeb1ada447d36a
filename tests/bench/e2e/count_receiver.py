#!/usr/bin/env python3
"""Counting syslog receiver for tests/bench/run-e2e.sh: accepts TCP connections on
127.0.0.1, counts messages (LF framing, or RFC 6587 octet counting when a frame starts
with a digit run and a space), and keeps STATUS_FILE up to date with
`count first_epoch last_epoch` (receive times of the first and last message, seconds);
the first 8 KB received go to STATUS_FILE.sample.

Usage: count_receiver.py [--latency SINCE_EPOCH] STATUS_FILE
       (prints `port=N` on its first stdout line)

With --latency, each LF-framed message's CEF `rt=` value (epoch milliseconds, as secfeed
writes it, or ISO 8601, as the rsyslog template copies TimeGenerated) is read, and for
events created at or after SINCE_EPOCH `created_epoch receive_epoch` is appended to
STATUS_FILE.latency (secfeed-kafka-produce --stamp puts the send time into live alerts).

Only counting is done per byte (bytes.count for LF), so one Python process keeps up
with several hundred thousand 3 KB lines per second and is never the bottleneck.
"""
import asyncio
import datetime
import os
import re
import sys
import time

state = {"count": 0, "first": 0.0, "last": 0.0, "dirty": False}


def record(n):
    now = time.time()
    if state["count"] == 0 and n:
        state["first"] = now
    state["count"] += n
    state["last"] = now
    state["dirty"] = True


RT = re.compile(rb"[| ]rt=(\d{13}|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)")


def created_epoch(value):
    if len(value) == 13 and value.isdigit():
        return int(value) / 1000.0
    text = value.decode().rstrip("Z")
    return datetime.datetime.fromisoformat(text).replace(
        tzinfo=datetime.timezone.utc).timestamp()


def note_latency(lines):
    now = time.time()
    out = []
    for value in RT.findall(lines):
        created = created_epoch(value)
        if created >= LATENCY_SINCE:
            out.append("%.3f %.6f\n" % (created, now))
    if out:
        with open(STATUS + ".latency", "a") as f:
            f.writelines(out)


async def handle(reader, writer):
    octet_pending = None  # bytes still to skip in an octet-counted frame
    buffer = b""
    octet = None  # decided by the first byte of the connection
    while True:
        data = await reader.read(1 << 20)
        if not data:
            break
        if octet is None:
            octet = data[:1].isdigit()
            if not os.path.exists(SAMPLE):  # the first bytes, to eyeball the format
                with open(SAMPLE, "wb") as f:
                    f.write(data[:8192])
        if not octet:
            n = data.count(b"\n")
            if n:
                record(n)
            if LATENCY_SINCE is not None:
                buffer += data
                complete = buffer.rfind(b"\n") + 1
                note_latency(buffer[:complete])
                buffer = buffer[complete:]
            continue
        buffer += data
        n = 0
        while True:
            if octet_pending:
                take = min(octet_pending, len(buffer))
                buffer = buffer[take:]
                octet_pending -= take
                if octet_pending:
                    break
                n += 1
            space = buffer.find(b" ", 0, 12)
            if space < 0:
                break
            octet_pending = int(buffer[:space])
            buffer = buffer[space + 1:]
        if n:
            record(n)
    writer.close()


async def flush(path):
    while True:
        await asyncio.sleep(0.05)
        if state["dirty"]:
            state["dirty"] = False
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d %.6f %.6f\n" % (state["count"], state["first"], state["last"]))
            os.replace(tmp, path)


ARGS = sys.argv[1:]
LATENCY_SINCE = None
if len(ARGS) == 3 and ARGS[0] == "--latency":
    LATENCY_SINCE = float(ARGS[1])
    ARGS = ARGS[2:]
if len(ARGS) != 1:
    sys.exit("usage: count_receiver.py [--latency SINCE_EPOCH] STATUS_FILE")
STATUS = ARGS[0]
SAMPLE = STATUS + ".sample"


async def main():
    path = STATUS
    with open(path, "w") as f:
        f.write("0 0 0\n")
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print("port=%d" % server.sockets[0].getsockname()[1], flush=True)
    await asyncio.gather(server.serve_forever(), flush(path))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
