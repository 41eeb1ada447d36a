#!/usr/bin/env python3
"""Writes N Defender for Cloud alerts in the continuous-export (flat, SecurityAlert-like)
form, one alert per line = one Kafka message, each 2-4 KB, for tests/bench/run-e2e.sh.

Usage: gen_alerts.py --records N [--seed S] OUT.ndjson

The templates are tests/fixtures/defender/alerts_flat.json; every record gets a unique
SystemAlertId, its own times, entity and IP, and a Description padded so that the whole
line lands at a uniformly drawn size in [2048, 4096] bytes (realistic alert sizes;
larger templates keep their size). Prints {"records": N, "bytes": B} on stdout.
"""
import argparse
import copy
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "..", "fixtures", "defender", "alerts_flat.json")
FILLER = ("Suspicious activity was observed from an unusual location with a sequence of "
          "operations that deviates from the learned baseline of this principal. ")
SEVERITIES = ("Low", "Medium", "High", "Informational")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(TEMPLATES) as f:
        templates = [t for t in json.load(f) if len(json.dumps(t)) <= 4096]
    total = 0
    with open(args.out, "w") as out:
        for n in range(args.records):
            record = copy.deepcopy(rng.choice(templates))
            record["SystemAlertId"] = "e2e-%08d-%s" % (n, record.get("SystemAlertId", ""))
            second = n % 86400
            stamp = "2024-05-14T%02d:%02d:%02d.%03dZ" % (second // 3600, second // 60 % 60,
                                                        second % 60, n % 1000)
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
            out.write(line + "\n")
            total += len(line) + 1
    print(json.dumps({"records": args.records, "bytes": total}))


if __name__ == "__main__":
    main()
