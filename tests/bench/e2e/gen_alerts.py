#!/usr/bin/env python3
"""Writes N Defender for Cloud alerts in the continuous-export (flat, SecurityAlert-like)
form, one alert per line = one Kafka message, each 2-4 KB, for tests/bench/run-e2e.sh.

Usage: gen_alerts.py --records N [--seed S] OUT.ndjson
       gen_alerts.py --live N [--seed S] -     (N alerts to stdout, times = @SENT@)

The templates are tests/fixtures/defender/alerts_flat.json; every record gets a unique
SystemAlertId, its own times, entity and IP, and a Description padded so that the whole
line lands at a uniformly drawn size in [2048, 4096] bytes (realistic alert sizes;
larger templates keep their size). Prints {"records": N, "bytes": B} on stdout.

--live writes N alerts to stdout whose times (TimeGenerated, StartTimeUtc, EndTimeUtc)
are the placeholder @SENT@: `secfeed-kafka-produce --rate R --stamp @SENT@` replaces it
with the moment it sends each one, and the connectors put TimeGenerated into the CEF
`rt=` field, so the receiver measures end-to-end latency
(tests/bench/e2e/count_receiver.py --latency).
"""
import argparse
import copy
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "..", "fixtures", "defender", "alerts_flat.json")
FILLER = ("Suspicious activity was observed from an unusual location with a sequence of "
          "operations that deviates from the learned baseline of this principal. ")
SEVERITIES = ("Low", "Medium", "High", "Informational")


def make_record(n, rng, templates, stamp):
    """Alert number n (a unique SystemAlertId) with the given ISO time, 2-4 KB as JSON."""
    record = copy.deepcopy(rng.choice(templates))
    record["SystemAlertId"] = "e2e-%08d-%s" % (n, record.get("SystemAlertId", ""))
    record["TimeGenerated"] = record["StartTimeUtc"] = record["EndTimeUtc"] = stamp
    record["Severity"] = rng.choice(SEVERITIES)
    record["CompromisedEntity"] = "host-%05d" % rng.randrange(100000)
    ip = "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
    record.setdefault("ExtendedProperties", {})["Client IP"] = ip
    line = json.dumps(record, separators=(",", ":"))
    target = rng.randrange(2048, 4097)
    if len(line) < target:
        pad = (FILLER * (target // len(FILLER) + 1))[: target - len(line) - 1]
        record["Description"] = record.get("Description", "") + " " + pad
        line = json.dumps(record, separators=(",", ":"))
    return line


def live(records, rng, templates):
    """Alerts whose times are the placeholder @SENT@: secfeed-kafka-produce --stamp @SENT@
    replaces it with the moment it sends each one."""
    for n in range(records):
        sys.stdout.write(make_record(10**7 + n, rng, templates, "@SENT@") + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int)
    parser.add_argument("--live", type=int, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(TEMPLATES) as f:
        templates = [t for t in json.load(f) if len(json.dumps(t)) <= 4096]
    if args.live:
        live(args.live, rng, templates)
        return
    if args.records is None:
        parser.error("--records or --live is required")
    total = 0
    with open(args.out, "w") as out:
        for n in range(args.records):
            second = n % 86400
            stamp = "2024-05-14T%02d:%02d:%02d.%03dZ" % (second // 3600, second // 60 % 60,
                                                        second % 60, n % 1000)
            line = make_record(n, rng, templates, stamp)
            out.write(line + "\n")
            total += len(line) + 1
    print(json.dumps({"records": args.records, "bytes": total}))


if __name__ == "__main__":
    main()
