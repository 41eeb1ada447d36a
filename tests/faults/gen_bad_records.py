#!/usr/bin/env python3
"""Hostile Event Hubs messages for bad_input_test.sh, one Kafka message a line (bytes,
not text: some are not UTF-8). Prints a JSON list of {"case", "id"} in message order;
"id" is the record id the dead letter or the event carries when there is one.

Usage: gen_bad_records.py OUT
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "defender")


def alert(ident):
    """A valid flat Defender alert (the first of alerts_flat.json) with id IDENT."""
    with open(os.path.join(FIXTURES, "alerts_flat.json")) as f:
        record = copy.deepcopy(json.load(f)[0])
    record["SystemAlertId"] = ident
    return record


def dumps(value):
    return json.dumps(value, separators=(",", ":")).encode()


def nested(depth):
    return {"a": nested(depth - 1)} if depth else {}


def main():
    cases = []
    messages = []

    def add(case, body, ident=None):
        cases.append({"case": case, "id": ident})
        messages.append(body)

    add("truncated_json", b'{"records": [ {"SystemAlertId": ')
    add("not_json", b"hello, not json")
    add("id_is_number", dumps({"type": "Microsoft.Security/assessments", "id": 12345}))
    add("severity_is_number", dumps({**alert("bad-severity"), "Severity": 3}), "bad-severity")
    add("record_is_number", dumps({"records": [42]}))
    bad_utf8 = dumps(alert("bad-utf8")).replace(b'"AlertDisplayName":"',
                                                b'"AlertDisplayName":"\xff\xfe\xc3(', 1)
    add("invalid_utf8", bad_utf8, "bad-utf8")
    nul = dumps(alert("nul-byte")).replace(b'"AlertDisplayName":"', b'"AlertDisplayName":"a\x00b', 1)
    add("nul_in_string", nul, "nul-byte")
    deep = 100000
    add("deep_array", b"[" * deep + b"]" * deep)
    add("deep_object", b'{"a":' * deep + b"{}" + b"}" * deep)
    record = alert("deep-extended")
    record["ExtendedProperties"] = {"x": "PLACEHOLDER"}
    body = dumps(record).replace(b'"PLACEHOLDER"', b'{"a":' * deep + b"{}" + b"}" * deep)
    add("deep_in_record", body, "deep-extended")
    huge = alert("huge-name")
    huge["AlertDisplayName"] = "h" * 900000
    add("huge_field", dumps(huge), "huge-name")
    with open(sys.argv[1], "wb") as out:
        for body in messages:
            assert b"\n" not in body
            out.write(body + b"\n")
    print(json.dumps(cases))


if __name__ == "__main__":
    main()
