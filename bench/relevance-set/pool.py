#!/usr/bin/env python3
"""Pooled judging for the relevance set (see README.md, "Pooled judgments").

The set's queries were judged when they were written, mostly with one document each; a
document the search finds that nobody judged counts as irrelevant. Pooling (as in TREC) asks
judges about every document that some run put in its first ten, without telling them which
run put it there, at which rank, or how it was judged before.

  pool.py sheets RUN.json [RUN.json ...] --out DIR [--sheets N]
      RUN.json: written by `./bench/relevance --pool RUN.json` (one per system run).
      Writes DIR/corpus.md (every document as text, once), DIR/sheet-K.json (queries with
      their candidates in a shuffled order) and DIR/keys.json (which sheet holds which query).

  pool.py merge DIR JUDGE.jsonl [JUDGE.jsonl ...] [--write]
      JUDGE.jsonl: one line per query, {"q": ..., "grades": {key: 0|1|2}}, by one judge.
      Documents judged by several judges get the lowest grade any of them gave (a document
      counts as relevant only when every judge says so). Prints the judges' agreement with
      each other and with the set's original judgments; with --write, stores the grades of
      documents the set had not judged as "pooled" in queries.json (original judgments are
      never changed).
"""

import argparse
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def corpus_text(corpus):
    out = []
    for d in corpus["documents"]:
        out.append(f"## {d['key']}\n")
        out.append(f"{d['kind']}, {d['language']}; tags: {', '.join(d.get('tags', []))}\n")
        out.append(f"**{d['title']}**\n\n{d['body']}\n")
        for i, a in enumerate(d.get("answers", []), 1):
            out.append(f"\nAnswer {i}: {a['body']}\n")
        for c in d.get("comments", []):
            out.append(f"\nComment: {c}\n")
        out.append("\n")
    return "".join(out)


def sheets(args):
    queries = load(HERE / "queries.json")["queries"]
    runs = [load(p)["queries"] for p in args.runs]
    for run in runs:
        if [r["q"] for r in run] != [q["q"] for q in queries]:
            raise SystemExit("a run does not hold the set's queries in order")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "corpus.md").write_text(corpus_text(load(HERE / "corpus.json")), encoding="utf-8")
    rng = random.Random(20261205)
    items = []
    for i, q in enumerate(queries):
        candidates = set(q["relevant"])
        for run in runs:
            candidates.update(run[i]["top"])
        candidates = sorted(candidates)
        rng.shuffle(candidates)
        items.append({"q": q["q"], "candidates": candidates})
    order = list(range(len(items)))
    rng.shuffle(order)
    n = args.sheets
    keys = {}
    for k in range(n):
        part = [items[i] for i in order[k::n]]
        (out / f"sheet-{k + 1}.json").write_text(
            json.dumps({"queries": part}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        keys[f"sheet-{k + 1}"] = [items[i]["q"] for i in order[k::n]]
        print(f"sheet-{k + 1}: {len(part)} queries, {sum(len(p['candidates']) for p in part)} candidates")
    (out / "keys.json").write_text(json.dumps(keys, ensure_ascii=False, indent=1), encoding="utf-8")


def merge(args):
    path = HERE / "queries.json"
    judged = load(path)
    by_q = {q["q"]: q for q in judged["queries"]}
    grades = {}  # (q, key) -> [grades]
    for p in args.judges:
        with open(p, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                if row["q"] not in by_q:
                    raise SystemExit(f"{p}: unknown query {row['q']!r}")
                for key, g in row["grades"].items():
                    if g not in (0, 1, 2):
                        raise SystemExit(f"{p}: grade {g!r} for {key} in {row['q']!r}")
                    grades.setdefault((row["q"], key), []).append(g)
    sheets = {}
    for p in sorted(Path(args.dir).glob("sheet-*.json")):
        for item in load(p)["queries"]:
            sheets[item["q"]] = item["candidates"]
    missing = [
        (q, k) for q, ks in sheets.items() for k in ks if (q, k) not in grades
    ]
    if missing:
        raise SystemExit(f"{len(missing)} candidates not judged, e.g. {missing[:3]}")
    pairs = [g for g in grades.values() if len(g) >= 2]
    if pairs:
        same = sum(1 for g in pairs if g[0] == g[1])
        rel = sum(1 for g in pairs if (g[0] > 0) == (g[1] > 0))
        print(f"judges agree on {same}/{len(pairs)} grades ({same / len(pairs):.0%}), "
              f"on relevant or not {rel}/{len(pairs)} ({rel / len(pairs):.0%})")
    orig = [(q, k, g) for (q, k), g in grades.items() if k in by_q[q]["relevant"]]
    agree = sum(1 for q, k, g in orig if (min(g) > 0) == (by_q[q]["relevant"][k] > 0))
    exact = sum(1 for q, k, g in orig if min(g) == by_q[q]["relevant"][k])
    print(f"on the {len(orig)} documents the set had judged: the same grade {exact} "
          f"({exact / len(orig):.0%}), relevant or not the same {agree} ({agree / len(orig):.0%})")
    added = {0: 0, 1: 0, 2: 0}
    for q in judged["queries"]:
        pooled = {}
        for key in sorted(sheets.get(q["q"], [])):
            if key in q["relevant"]:
                continue
            g = min(grades[(q["q"], key)])
            pooled[key] = g
            added[g] += 1
        if pooled:
            q["pooled"] = pooled
    print(f"documents the set had not judged: {added[2]} graded 2, {added[1]} graded 1, "
          f"{added[0]} graded 0")
    if args.write:
        path.write_text(json.dumps(judged, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"written: {path}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sheets")
    s.add_argument("runs", nargs="+")
    s.add_argument("--out", required=True)
    s.add_argument("--sheets", type=int, default=4)
    s.set_defaults(func=sheets)
    m = sub.add_parser("merge")
    m.add_argument("dir")
    m.add_argument("judges", nargs="+")
    m.add_argument("--write", action="store_true")
    m.set_defaults(func=merge)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
