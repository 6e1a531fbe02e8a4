#!/usr/bin/env python3
"""Train the attribution scorer of a model directory (MODEL/scorer.json): a speaker ranker
and a quotation scorer.

The speaker ranker chooses each quoted span's speaker among the candidates the rules
propose (`whosaid_attribution::candidates`: every rule's mention, one candidate each,
described by candidates::ranker_features(), printed by `whosaid features --ranker`). It is a linear model whose softmax over a quotation's
candidates is fitted to the candidates that are correct speakers (conditional logit).

The quotation scorer is a logistic model over the features whosaid's attribution computes
for every quotation it proposes (how the speaker was found, the mention's kind, the
quotation's shape, the role head's score, the ranker's share: `scorer::feature_names()`, printed by `whosaid features --scorer`). Its
probability that a quotation is right (a real quotation of its group with a correct speaker,
by the rules of docs/scoring.md) becomes the quotation's confidence, and reported clauses
below a threshold are rejected.

1. `whosaid eval` runs the pipeline on polnear-train with this model, without a scorer, with
   every candidate (`--reported both`: the role head's reported clauses and the rules' that
   none of them covers), and writes the output with each quotation's features and speaker
   candidates (`--with-features`) and each quotation's outcome, with which of its
   candidates would be right (`--outcomes`): training and inference see the same
   candidates.
2. The ranker is fitted (L2, Newton's method) on the quotations that match core gold and
   have both right and wrong candidates.
3. With the ranker in place (and no rejection), step 1 runs again, and the quotation scorer
   is fitted (L2, Newton's method) on the quotations that count for precision, as the
   ranker now decides them.
4. The rejection threshold for reported clauses is chosen on polnear-dev (reported
   end-to-end F1), by running `whosaid eval` with each threshold and each `--reported`
   source of clauses (roles, both); the CLI's default `--reported` is the chosen one.
   Thresholds within TIE_F1 of the best F1 (about two quotations of the 613) are a tie,
   which goes to the highest: the more precise. PolNeAR counts more as reported speech
   (the objects of "warned of", "vowed to") than a reader of the output expects, so among
   equals the one that claims less is preferred.

Usage: .venv/bin/python scripts/train_scorer.py MODEL_DIR [--fixtures ../shared/fixtures]
Needs target/release/whosaid (scripts/setup.sh builds it). About 7 minutes on 2 cores.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
WHOSAID = REPO / "target" / "release" / "whosaid"
# Reported F1 differences on polnear-dev smaller than this are ties (about two quotations).
TIE_F1 = 0.003


def run_eval(model, fixture, extra, out_dir, name):
    """Run `whosaid eval` on a fixture; returns (report, output path, outcomes path)."""
    output, outcomes = out_dir / f"{name}.out.jsonl", out_dir / f"{name}.outcomes.jsonl"
    # The default engine (ONNX Runtime int8 where the model has its int8 graph), the one
    # users run: its rejection threshold is selected on what it computes (on libtorch fp32
    # polnear-dev's reported F1 differed from int8's by up to 0.008 at the same threshold).
    cmd = [str(WHOSAID), "eval", str(fixture), "--model", str(model),
           "--json", "--save-output", str(output), "--outcomes", str(outcomes), *extra]
    report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return report, output, outcomes


def labelled_quotes(output, outcomes, field):
    """Each quotation of a saved output with its outcome's FIELD, where that is not null
    (outcomes and quotations are joined by document, span and kind, in order)."""
    labels = {}
    for line in open(outcomes):
        o = json.loads(line)
        if o.get(field) is not None:
            labels.setdefault((o["doc"], o["start"], o["end"], o["kind"]), []).append(o[field])
    for line in open(output):
        doc = json.loads(line)
        for q in doc.get("quotes", []):
            found = labels.get((doc["id"], q["start"], q["end"], q["kind"]))
            if found:
                yield q, found.pop(0)


def examples(output, outcomes, feature_count):
    """Features and labels of the quotations that count for precision."""
    xs, ys = [], []
    for q, right in labelled_quotes(output, outcomes, "right"):
        if len(q["features"]) != feature_count:
            raise SystemExit("feature vectors of different lengths: rebuild whosaid")
        xs.append(q["features"])
        ys.append(float(right))
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)


def ranker_groups(output, outcomes):
    """Per quoted span that matches core gold: its candidates' features and which are right
    (`candidates_right` is written only for quotations with candidates)."""
    return [(np.array([c["features"] for c in q["candidates"]], dtype=np.float64), np.array(right, dtype=np.float64))
            for q, right in labelled_quotes(output, outcomes, "candidates_right")]


def fit_ranker(groups, l2=1.0, iterations=30):
    """Conditional logit: the softmax over a quotation's candidates against the uniform
    distribution over its right ones (convex), L2-regularised, by Newton's method. Only
    quotations with both right and wrong candidates carry information."""
    d = groups[0][0].shape[1]
    w = np.zeros(d)
    useful = [(x, y) for x, y in groups if y.any() and not y.all()]
    for _ in range(iterations):
        grad, hess = l2 * w, l2 * np.eye(d)
        for x, y in useful:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += x.T @ (p - y / y.sum())
            hess += x.T @ (np.diag(p) - np.outer(p, p)) @ x
        step = np.linalg.solve(hess + 1e-9 * np.eye(d), grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def ranker_accuracy(groups, w):
    """Right choices of the ranker and of the rules' chain (the first candidate)."""
    ranked = sum(y[int(np.argmax(x @ w))] for x, y in groups)
    return int(ranked), int(sum(y[0] for _, y in groups)), len(groups)


def fit_logistic(x, y, l2=1.0, iterations=50):
    """Newton's method on the L2-regularised log loss (the bias is not regularised)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], w[-1]


def ece(p, y, bins=10):
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() / len(p) * abs(y[m].mean() - p[m].mean())
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--fixtures", type=Path, default=REPO.parent / "shared" / "fixtures")
    ap.add_argument("--l2", type=float, default=1.0)
    # Chosen on polnear-dev (right speakers of the 977 quoted spans matching gold, l4 model):
    # 0.1: 918, 1: 934, 10: 932 (the rules' chain: 905).
    ap.add_argument("--ranker-l2", type=float, default=1.0)
    args = ap.parse_args()
    model = args.model_dir.resolve()
    scorer_path = model / "scorer.json"
    if scorer_path.exists():
        scorer_path.unlink()  # features are computed without a scorer (nothing rejected)
    work = Path(tempfile.mkdtemp(prefix="whosaid-scorer-"))
    t0 = time.time()

    train_flags = ["--with-features", "--reported", "both"]
    _, output, outcomes = run_eval(model, args.fixtures / "polnear-train", train_flags, work, "train-candidates")
    groups = ranker_groups(output, outcomes)
    ranker_names = feature_names("--ranker")
    rw = fit_ranker(groups, args.ranker_l2)
    ranked, chained, total = ranker_accuracy(groups, rw)
    print(f"ranker: {total} train quotations matching gold, right speaker {ranked} ranked vs {chained} by the "
          f"rules' chain ({time.time() - t0:.0f} s)", file=sys.stderr)
    ranker = {"features": ranker_names, "weights": [round(float(v), 6) for v in rw]}

    # The quotation scorer learns from the quotations as the ranker decides them.
    names = feature_names("--scorer")
    json.dump({"features": names, "weights": [0.0] * len(names), "bias": 0.0, "reject_reported_below": 0.0,
               "reported": ["roles", "rules", "both"], "speaker_ranker": ranker}, open(scorer_path, "w"))
    _, output, outcomes = run_eval(model, args.fixtures / "polnear-train", train_flags, work, "train")
    x, y = examples(output, outcomes, len(names))
    w, b = fit_logistic(x, y, args.l2)
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    print(f"train: {len(y)} quotations, {y.mean():.3f} right, fitted ECE {ece(p, y):.3f} ({time.time() - t0:.0f} s)",
          file=sys.stderr)

    history = []
    has_role_head = "role_labels" in json.load(open(model / "config.json"))
    for reported in ["roles", "both"] if has_role_head else ["both"]:
        for threshold in [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]:
            json.dump({"features": names, "weights": [float(v) for v in w], "bias": float(b),
                       "reject_reported_below": threshold,
                       "reported": [reported] if has_role_head else ["roles", "rules", "both"],
                       "speaker_ranker": ranker},
                      open(scorer_path, "w"), indent=1)
            report, _, _ = run_eval(model, args.fixtures / "polnear-dev", ["--reported", reported], work,
                                    f"dev-{reported}-{threshold}")
            row = {"reported_from": reported, "threshold": threshold, "quoted_f1": report["quoted"]["f1"],
                   "reported_f1": report["reported"]["f1"], "ece": report["calibration"]["ece"]}
            history.append(row)
            print(json.dumps(row), file=sys.stderr)
    top = max(row["reported_f1"] for row in history)
    best = max((row for row in history if row["reported_f1"] >= top - TIE_F1),
               key=lambda row: (row["threshold"], row["reported_f1"]))
    # The sources whose candidates it was trained on: the chosen one; for a model without a
    # role head every source gives the rules' candidates.
    reported = [best["reported_from"]] if has_role_head else ["roles", "rules", "both"]
    scorer = {"features": names, "weights": [round(float(v), 6) for v in w], "bias": round(float(b), 6),
              "reject_reported_below": best["threshold"], "reported": reported, "speaker_ranker": ranker,
              "trained": {"data": "polnear-train (whosaid's own candidates, outcomes by docs/scoring.md)",
                          "quotations": int(len(y)), "l2": args.l2, "ranker_quotations": total,
                          "ranker_train_right": {"ranked": ranked, "chain": chained}, "ranker_l2": args.ranker_l2,
                          "dev_selection": history,
                          "seconds": round(time.time() - t0)}}
    json.dump(scorer, open(scorer_path, "w"), indent=1)
    print(json.dumps({"chosen": best}), file=sys.stderr)


def feature_names(component):
    """A component's feature names, as the binary computes them (`whosaid features --ranker|--scorer`)."""
    out = subprocess.run([str(WHOSAID), "features", component], check=True, capture_output=True, text=True).stdout
    return out.split()


if __name__ == "__main__":
    main()
