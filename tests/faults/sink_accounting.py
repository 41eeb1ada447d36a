#!/usr/bin/env python3
"""Exact per-sink accounting for the fault suite.

--truth FILE: the pipeline's file sink (format json, one event a line): the set of
event ids that must reach every sink (it is itself checked against the sources' ground
truth by the test). --sink NAME:FORMAT:PATH (repeatable), FORMAT one of
  json   one normalized event a line (file sink, Kafka payloads)
  syslog one syslog message body a line, the JSON from its first '{' (rsyslog %msg%)
  la     the emulator's --ingested rows ({"stream","dcr","row":{"EventId",...}})
For each sink: delivered lines, distinct ids, missing (in truth, not in the sink),
extra (in the sink, not in truth), duplicates (lines - distinct) and unreadable lines
(a message cut by a kill -9). Exit 1 if anything is missing or extra, or a sink has more
duplicates than --max-duplicates (-1: no limit).
"""
import argparse
import collections
import glob
import json
import sys


def ids_of(fmt, path):
    counts, unreadable = collections.Counter(), 0
    for name in sorted(glob.glob(path)):
        with open(name, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    if fmt == "syslog":
                        line = line[line.index("{"):]
                    obj = json.loads(line)
                    counts[obj["row"]["EventId"] if fmt == "la" else obj["id"]] += 1
                except (ValueError, KeyError, TypeError):
                    unreadable += 1
    return counts, unreadable


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--truth", required=True)
    parser.add_argument("--sink", action="append", default=[])
    parser.add_argument("--max-duplicates", type=int, default=0)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    truth, _ = ids_of("json", args.truth)
    ok = True
    for spec in args.sink:
        name, fmt, path = spec.split(":", 2)
        got, unreadable = ids_of(fmt, path)
        missing = set(truth) - set(got)
        extra = set(got) - set(truth)
        duplicates = sum(got.values()) - len(got)
        bad = missing or extra or (args.max_duplicates >= 0 and duplicates > args.max_duplicates)
        ok = ok and not bad
        if not args.quiet or bad:
            print(f"{name}: lines={sum(got.values())} distinct={len(got)} of {len(truth)} "
                  f"missing={len(missing)} extra={len(extra)} duplicates={duplicates} "
                  f"unreadable={unreadable}"
                  + (f" e.g. missing {sorted(missing)[:3]}" if missing else "")
                  + (f" e.g. extra {sorted(extra)[:3]}" if extra else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
