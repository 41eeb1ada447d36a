#!/usr/bin/env python3
"""Compare what secfeed delivered with the Graph emulator's ground truth.

The emulator's `GET /_emulator/ground-truth?kind=alerts|incidents[&tenant=T]` lists every
(id, lastUpdateDateTime) version a client could have observed. Each version must appear
in the sink output exactly once: a version that is absent is MISSING (lost), one that
appears more often than the truth lists it is a DUPLICATE, and an event whose
(tenant, id, time) the truth does not know is EXTRA (invented or mangled).

Sink files hold one event per line: secfeed's normalized JSON (`format: json`; its
`updated_time` has millisecond precision, so the truth is truncated to milliseconds for
the comparison) or the raw Graph item (`format: raw`; compared to the 100 ns tick).

Prints a summary, a per-tenant breakdown of the tenants with problems, a few examples of
each problem, and finally one machine-readable line:

    RESULT kind=alerts expected=N delivered=N missing=N duplicates=N extra=N tenants_incomplete=N

Exit status: 0 when nothing is missing or extra and duplicates <= --max-duplicates;
1 otherwise; 2 on a usage or input error (unreadable file, a line that is not JSON).
"""

import argparse
import collections
import glob
import json
import re
import sys

EVENT_KIND = {"alerts": "alert", "incidents": "incident"}
TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$")


class InputError(Exception):
    pass


def truncate_time(text, digits):
    """`2024-01-02T03:04:05.1234567Z` at `digits` fraction digits (zero-padded)."""
    match = TIME.match(text or "")
    if not match:
        raise InputError(f"not a UTC ISO 8601 time: {text!r}")
    fraction = (match.group(2) or "").ljust(9, "0")[:digits]
    return f"{match.group(1)}.{fraction}Z"


def load_truth(paths, excluded_tenants):
    """Event kinds and [(kind, tenant, id, time7)] from ground-truth answers (one tenant or all)."""
    kinds = set()
    versions = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as file:
                doc = json.load(file)
        except (OSError, ValueError) as error:
            raise InputError(f"{path}: {error}") from error
        kind = EVENT_KIND.get(doc.get("kind"))
        if kind is None:
            raise InputError(f"{path}: not a ground-truth answer (kind {doc.get('kind')!r})")
        kinds.add(kind)
        tenants = doc["tenants"] if "tenants" in doc else [doc]
        for tenant in tenants:
            if tenant["tenant"] in excluded_tenants:
                continue
            for version in tenant["versions"]:
                versions.append((kind, tenant["tenant"], version["id"], version["lastUpdateDateTime"]))
    return kinds, versions


def event_key(line, path, number):
    """(kind, tenant, id, time, source, digits) of one sink line."""
    try:
        item = json.loads(line)
    except ValueError as error:
        raise InputError(f"{path}:{number}: not JSON ({error}): {line[:120]!r}") from error
    if not isinstance(item, dict):
        raise InputError(f"{path}:{number}: not a JSON object")
    if "schema_version" in item:  # secfeed's normalized event
        tenant = (item.get("tenant") or {}).get("id", "")
        return item.get("kind"), tenant, item.get("id"), item.get("updated_time"), item.get("source"), 3
    # The raw Graph item: alerts_v2 and incidents carry tenantId, legacy alerts azureTenantId.
    if "lastModifiedDateTime" in item:
        return "alert", item.get("azureTenantId", ""), item.get("id"), item["lastModifiedDateTime"], None, 7
    kind = "incident" if "displayName" in item and "title" not in item else "alert"
    return kind, item.get("tenantId", ""), item.get("id"), item.get("lastUpdateDateTime"), None, 7


def load_events(patterns, kinds, source):
    events = []
    for pattern in patterns:
        paths = sorted(glob.glob(pattern)) or [pattern]
        for path in paths:
            try:
                with open(path, encoding="utf-8") as file:
                    lines = file.read().splitlines()
            except FileNotFoundError:
                continue  # nothing delivered yet
            except OSError as error:
                raise InputError(f"{path}: {error}") from error
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                kind, tenant, ident, time, event_source, digits = event_key(line, path, number)
                if kind not in kinds:
                    continue
                if source is not None:
                    if event_source is None:
                        raise InputError(f"{path}: raw lines carry no source name; drop --source")
                    if event_source != source:
                        continue
                events.append((kind, tenant, ident, time, digits, f"{path}:{number}"))
    return events


def compare(truth_versions, events, max_duplicates):
    digits = {event[4] for event in events} or {3}
    if len(digits) > 1:
        raise InputError("the sink files mix normalized JSON and raw lines; compare them separately")
    precision = digits.pop()
    truth = collections.Counter(
        (kind, tenant, ident, truncate_time(time, precision)) for kind, tenant, ident, time in truth_versions
    )
    delivered = collections.Counter()
    where = {}
    for kind, tenant, ident, time, _, place in events:
        try:
            key = (kind, tenant, ident, truncate_time(time, precision))
        except InputError as error:
            raise InputError(f"{place}: {error}") from error
        delivered[key] += 1
        where.setdefault(key, place)
    missing = truth - delivered
    duplicates = {key: delivered[key] - count for key, count in truth.items() if delivered[key] > count}
    extra = {key: count for key, count in delivered.items() if key not in truth}
    return truth, delivered, missing, duplicates, extra, where


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", action="append", required=True, help="ground-truth JSON (repeatable)")
    parser.add_argument("--sink", action="append", required=True, help="sink output file or glob (repeatable)")
    parser.add_argument("--source", help="only events of this secfeed source name")
    parser.add_argument("--exclude-tenant", action="append", default=[],
                        help="drop this tenant from the truth (its events then count as extra)")
    parser.add_argument("--max-duplicates", type=int, default=0, help="duplicates tolerated (default 0)")
    parser.add_argument("--show", type=int, default=5, help="examples printed per problem")
    parser.add_argument("--quiet", action="store_true", help="print only the RESULT line")
    args = parser.parse_args()

    try:
        kinds, truth_versions = load_truth(args.truth, set(args.exclude_tenant))
        events = load_events(args.sink, kinds, args.source)
        truth, delivered, missing, duplicates, extra, where = compare(truth_versions, events, args.max_duplicates)
    except InputError as error:
        print(f"compare_ground_truth: {error}", file=sys.stderr)
        return 2

    n_missing = sum(missing.values())
    n_duplicates = sum(duplicates.values())
    n_extra = sum(extra.values())
    per_tenant = collections.defaultdict(lambda: [0, 0, 0])
    for problems, slot in ((missing, 0), (duplicates, 1), (extra, 2)):
        for key, count in problems.items():
            per_tenant[key[1]][slot] += count
    incomplete = sorted(tenant for tenant, counts in per_tenant.items() if counts[0])
    kind_names = "+".join(sorted(k + "s" for k in kinds))

    if not args.quiet:
        ids = len({key[:3] for key in truth})
        tenants = len({key[1] for key in truth})
        print(f"{kind_names}: expected {sum(truth.values())} versions of {ids} ids in {tenants} tenants; "
              f"delivered {sum(delivered.values())} events")
        print(f"missing {n_missing}, duplicates {n_duplicates} (tolerated {args.max_duplicates}), extra {n_extra}")
        for tenant in sorted(per_tenant)[: max(args.show, 0) * 4]:
            m, d, e = per_tenant[tenant]
            print(f"  tenant {tenant}: missing {m}, duplicates {d}, extra {e}")
        for title, problems in (("missing", missing), ("duplicate", duplicates), ("extra", extra)):
            for key in sorted(problems)[: args.show]:
                place = f" (first at {where[key]})" if key in where else ""
                print(f"  {title}: {key[0]} tenant={key[1]} id={key[2]} time={key[3]} x{problems[key]}{place}")
    print(f"RESULT kind={kind_names} expected={sum(truth.values())} delivered={sum(delivered.values())} "
          f"missing={n_missing} duplicates={n_duplicates} extra={n_extra} tenants_incomplete={len(incomplete)}")
    ok = n_missing == 0 and n_extra == 0 and n_duplicates <= args.max_duplicates
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
