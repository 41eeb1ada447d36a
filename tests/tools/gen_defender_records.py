#!/usr/bin/env python3
"""Generates Defender for Cloud export messages with unique ids, for integration tests
and benchmarks: every record kind of tests/fixtures/defender, in all three Event Hub body
forms (single object, bare array, {"records": [...]}), plus optional poison messages.

Usage: gen_defender_records.py --messages N [--poison-every K] [--huge-every K] [--seed S]
                              [--id-prefix P] OUT.ndjson
Writes one message per line to OUT and prints the ground truth as JSON on stdout:
{"messages": N, "records": R, "events": E, "poison_records": P}
(a secure score control or compliance record is one event; no record fans out).
"""
import argparse
import copy
import glob
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "defender")


def load_templates():
    templates = []
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.json"))):
        if os.path.basename(path).startswith("eventhub_body"):
            continue  # the same records again, in other body forms
        with open(path) as f:
            doc = json.load(f)
        items = doc.get("records", doc) if isinstance(doc, dict) else doc
        if isinstance(items, dict):
            items = [items]
        templates.extend(items)
    return templates


def set_unique_id(record, n, prefix):
    """Makes the record's id (whatever its casing or form) unique."""
    suffix = "-%s%d" % (prefix, n)
    for key in ("SystemAlertId", "systemAlertId"):
        if key in record:
            record[key] = str(record[key]) + suffix
            return
    props = record.get("properties") or record.get("Properties")
    if isinstance(props, dict) and "systemAlertId" in props:
        props["systemAlertId"] = str(props["systemAlertId"]) + suffix
        return
    for key in ("id", "Id"):
        if key in record:
            record[key] = str(record[key]) + suffix
            return
    raise ValueError("template without an id: %r" % list(record)[:5])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--poison-every", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--id-prefix", default="gen", help="makes ids unique across runs")
    parser.add_argument("--huge-every", type=int, default=0,
                        help="every K-th message: one alert with a 900,000-character description")
    parser.add_argument("out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    templates = load_templates()
    n = records = poison = 0
    with open(args.out, "w") as out:
        for m in range(args.messages):
            if args.poison_every and m % args.poison_every == args.poison_every - 1:
                # Alternate invalid JSON and a record of the wrong type.
                if (m // args.poison_every) % 2:
                    out.write('{"records": [ {"SystemAlertId": \n')
                else:
                    out.write(json.dumps({"records": [{"type": "Microsoft.Security/assessments",
                                                       "id": 12345}]}) + "\n")
                poison += 1
                continue
            if args.huge_every and m % args.huge_every == args.huge_every - 2:
                record = copy.deepcopy(next(t for t in templates if "SystemAlertId" in t))
                set_unique_id(record, n, args.id_prefix)
                n += 1
                record["Description"] = "huge " + "x" * 899995
                records += 1
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
                continue
            count = rng.choice((1, 1, 2, 3))
            batch = []
            for _ in range(count):
                record = copy.deepcopy(rng.choice(templates))
                set_unique_id(record, n, args.id_prefix)
                n += 1
                batch.append(record)
            records += count
            form = rng.choice(("object", "array", "records")) if count == 1 else rng.choice(
                ("array", "records"))
            body = batch[0] if form == "object" else batch if form == "array" else {"records": batch}
            out.write(json.dumps(body, separators=(",", ":")) + "\n")
    print(json.dumps({"messages": args.messages, "records": records, "events": records,
                      "poison_records": poison}))


if __name__ == "__main__":
    main()
