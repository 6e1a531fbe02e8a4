#!/usr/bin/env python3
"""Fit the role head's transition scores and write them into MODEL/config.json.

whosaid decodes the role head (CUE, SOURCE, CONTENT in BIO) as a sequence: each paragraph's
most probable label sequence in which every I- continues its span (crates/ner's
role_decoding.rs). This script adds what the annotation says about which label follows
which: log P(next tag | tag) and log P(first tag of a paragraph), counted over PolNeAR
train's gold tags (add-one smoothed, on whosaid's own words and paragraphs, as
scripts/train_roles.py trains), times a weight. The weight is chosen on polnear-dev by the
mean span-exact F1 of the three roles, measured with `whosaid eval-roles` on the model's
default engine, from the grid below; the table of every weight is printed.

Usage (after scripts/setup.sh has built target/release/whosaid):
  .venv/bin/python scripts/fit_role_transitions.py models/whosaid-minilm-l4
About a minute on 2 cores. Not part of CI.
"""

import argparse
import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_roles  # noqa: E402  (PolNeAR paragraphs and gold role tags, as training sees them)

WEIGHTS = [0.0, 0.25, 0.5, 0.75, 1.0]


def allowed(before, tag):
    """BIO: an I-X only after B-X or I-X (`before` None: the paragraph's start)."""
    return not tag.startswith("I-") or (before is not None and before != "O" and before[2:] == tag[2:])


def transition_scores(paragraphs, labels):
    """(start, scores): log-probabilities of each first tag and of each tag after each tag,
    add-one smoothed over the allowed ones; None where BIO forbids."""
    first, pairs = Counter(), Counter()
    for _, tags in paragraphs:
        if tags:
            first[tags[0]] += 1
        pairs.update(zip(tags, tags[1:]))

    def row(counts, before):
        ok = [t for t in labels if allowed(before, t)]
        total = sum(counts[t] for t in ok) + len(ok)
        return [round(math.log((counts[t] + 1) / total), 5) if t in ok else None for t in labels]

    start = row(first, None)
    scores = [row(Counter({t: pairs[(b, t)] for t in labels}), b) for b in labels]
    return start, scores


def evaluate(repo, model, dev):
    out = subprocess.run(
        [str(repo / "target/release/whosaid"), "eval-roles", str(dev), "--model", str(model), "--json"],
        capture_output=True, text=True, check=True,
    ).stdout
    scores = json.loads(out)
    return {role: scores[role]["f1"] for role in train_roles.ROLES}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("--polnear", type=Path, default=Path("../shared/data/polnear"))
    args = ap.parse_args()
    repo = Path(__file__).resolve().parent.parent
    config_path = args.model / "config.json"
    config = json.load(open(config_path))
    labels = config["role_labels"]
    start, scores = transition_scores(train_roles.polnear_paragraphs(args.polnear / "train.jsonl", repo), labels)

    def write(weight):
        if weight is None:
            config.pop("role_transitions", None)
        else:
            config["role_transitions"] = {"weight": weight, "start": start, "scores": scores}
        with open(config_path, "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")

    table = []
    write(None)
    table.append(("BIO constraint only", evaluate(repo, args.model, args.polnear / "dev.jsonl")))
    for weight in WEIGHTS[1:]:
        write(weight)
        table.append((weight, evaluate(repo, args.model, args.polnear / "dev.jsonl")))
    best = max(table, key=lambda row: sum(row[1].values()))
    print("| weight | CUE | SOURCE | CONTENT | mean |\n|---|---|---|---|---|")
    for weight, f1 in table:
        mark = " (chosen)" if weight is best[0] else ""
        cells = " | ".join(f"{f1[r]:.4f}" for r in train_roles.ROLES)
        print(f"| {weight}{mark} | {cells} | {sum(f1.values()) / 3:.4f} |")
    write(None if isinstance(best[0], str) else best[0])


if __name__ == "__main__":
    main()
