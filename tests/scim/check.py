"""Runs scim2-tester (RFC 7643/7644 compliance checks) against a running Kring.

    python check.py --url http://127.0.0.1:8080/scim/v2 --token kscim_... --skip skip.txt

Every check must pass, except those listed in the skip file (one per line,
`<resource type or -> | <check title> | <attribute or -> | reason`). A check that
fails and is not listed fails the run; a listed check that passes is reported, so
the list can shrink.
"""

import argparse
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def key(result):
    urn = "-"
    if isinstance(result.data, dict) and result.data.get("urn"):
        urn = str(result.data["urn"])
    return (result.resource_type or "-", result.title or "-", urn)


def read_skips(path):
    skips = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4 or not parts[3]:
                sys.exit(f"{path}: each line is 'resource | check | attribute | reason': {line}")
            skips[tuple(parts[:3])] = parts[3]
    return skips


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--skip", required=True)
    args = parser.parse_args()
    skips = read_skips(args.skip)

    http = Client(
        base_url=args.url,
        headers={"Authorization": f"Bearer {args.token}"},
        timeout=30,
    )
    client = SyncSCIMClient(http)
    results = check_server(client)

    counts = {}
    unexpected = []
    skipped_hit = set()
    for result in results:
        k = key(result)
        counts[result.status.name] = counts.get(result.status.name, 0) + 1
        label = " | ".join(k)
        if result.status == Status.ERROR:
            if k in skips:
                skipped_hit.add(k)
                print(f"SKIP   {label}: {skips[k]}")
            else:
                unexpected.append(result)
                print(f"ERROR  {label}: {result.reason}")
        else:
            print(f"{result.status.name:<6} {label}")
    for k in sorted(set(skips) - skipped_hit):
        print(f"NOTE   listed in the skip file but did not fail: {' | '.join(k)}")
    print(f"\nscim2-tester: {len(results)} checks, {counts}, {len(unexpected)} unexpected failures")
    if not results or counts.get("SUCCESS", 0) == 0:
        print("no check succeeded: is the server running and the token valid?")
        return 1
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
