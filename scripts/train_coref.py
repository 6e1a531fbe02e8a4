#!/usr/bin/env python3
"""Train the speaker-coreference resolver of a whosaid model directory (MODEL/coref.json).

    .venv/bin/python scripts/train_coref.py models/whosaid-minilm-l4

For every third-person pronoun and definite description, the resolver ranks the people and
organisations named before it and "none" (crates/attribution/src/coref/resolver.rs). Its
inputs are features the Rust code computes and the encoder's states of the two mentions, from
the pass the NER stage already makes; this script never computes a feature itself: it reads
the examples `whosaid eval-coref --dump` writes, so training and inference see the same
candidates, features and states.

Data: train on GUM's train documents of the bio, academic, court and voyage genres, on GAP
development (../shared/data/coref, see its README) and on the hand-resolved pronoun and
description sources of PolNeAR train (tests/fixtures/polnear-train-resolved-speakers.jsonl);
select on GUM's dev documents of those genres, GAP validation and the hand-resolved sources of
polnear-dev (tests/fixtures/polnear-dev-resolved-speakers.jsonl). GUM's news and interview
documents are never read here (they are the out-of-domain attribution fixture).

Rounds: round 0 dumps examples with a hand-set linear prior (type and gender fit, recency),
round 1 trains on them; round 2 dumps again with the round-1 model (so features that depend on
earlier decisions, such as the gender a resolved "she" gives, come from the trained model) and
trains the final resolver. Each round's model is scored by the Rust pipeline itself
(`whosaid eval-coref`) on the selection sets.

The network: the state of each mention is projected to K dimensions (shared for the anaphor
and the candidate); their product and absolute difference join the features; one hidden
layer of rectified units and a linear output give each candidate's score; softmax over the
candidates and "none"; the loss is -log of the probability of the right candidates (GAP's
"neither" makes several right).
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "coref"
FIXTURES = ROOT.parent / "shared" / "fixtures"
# Hand-resolved pronoun and description sources of PolNeAR (tests/fixtures/README.md): train
# on the train split's, select on the dev split's.
RESOLVED_TRAIN = ROOT / "tests" / "fixtures" / "polnear-train-resolved-speakers.jsonl"
RESOLVED_DEV = ROOT / "tests" / "fixtures" / "polnear-dev-resolved-speakers.jsonl"
GENRES = ("bio", "academic", "court", "voyage")


def gum_split():
    """GUM's train and dev documents of the genres trained on (splits.md)."""
    split, current = {}, None
    for line in (SHARED / "gum" / "splits.md").read_text().splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.strip().startswith("* ") and current:
            split[line.strip()[2:].strip()] = current
    files = sorted((SHARED / "gum" / "conllu").glob("GUM_*.conllu"))
    pick = lambda part: [f for f in files if f.stem.split("_")[1] in GENRES and split.get(f.stem, "train") == part]
    return pick("train"), pick("dev")


def feature_names(whosaid):
    """The resolver's feature names, as the Rust code lists them."""
    out = subprocess.run([whosaid, "features", "--coref"], check=True, capture_output=True, text=True).stdout
    return [l for l in out.split() if l]


def linear_prior(names, dim, k):
    """A hand-set linear scorer for round 0, as a coref.json: type and gender fit, recency."""
    w = {n: 0.0 for n in names}
    w.update({"is_none": 0.5, "rule_choice": 3.0, "type_fits": 2.0, "gender_agrees": 1.5, "gender_disagrees": -4.0,
              "recency_rank_0": 1.0, "fit_rank_0": 1.5, "log_sentences_back": -0.8, "chained": 1.0,
              "last_is_subject": 0.5, "head_in_name": 2.0, "head_in_roles": 2.0, "cand_other_type": -3.0,
              "last_in_quote": -1.0, "cataphoric": -1.5})
    vec = [w[n] for n in names] + [0.0] * (2 * k)
    # relu(z) - relu(-z) = z: a linear model in the network's shape.
    return {
        "features": names,
        "projection": (np.random.default_rng(0).normal(0, 0.01, (k, dim))).round(5).tolist(),
        "hidden": [vec, [-v for v in vec]],
        "hidden_bias": [0.0, 0.0],
        "output": [1.0, -1.0],
        "output_bias": 0.0,
        "notes": {"round": 0, "what": "hand-set linear prior"},
    }


def run(cmd):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr}")
    print(f"  ({time.time() - t:.0f} s) {' '.join(map(str, cmd[1:4]))} ...", file=sys.stderr)
    return p.stdout


def dump(whosaid, model, resolver, out, gap=None, gum=None, resolved=None):
    cmd = [whosaid, "eval-coref", "--model", str(model), "--resolver", str(resolver), "--dump", str(out), "--json"]
    if gap:
        cmd += ["--gap", str(gap)]
    elif resolved:
        cmd += ["--resolved", str(resolved[0]), "--docs", str(resolved[1])]
    else:
        cmd += ["--gum", *map(str, gum)]
    return json.loads(run(cmd))


def load(path):
    """Examples of a dump: features [n, F], states of anaphor and candidates, labels."""
    states = np.fromfile(f"{path}.states", dtype="<f4")
    examples = []
    for line in open(path):
        e = json.loads(line)
        dim = e["dim"]
        grab = lambda i: states[i * dim:(i + 1) * dim] if i >= 0 and dim else None
        examples.append({
            "x": np.asarray(e["features"], dtype=np.float32),
            "a": grab(e["state"]),
            "c": [grab(i) for i in e["candidate_states"]],
            "y": np.asarray(e["labels"], dtype=bool),
            "source": e["source"],
        })
    return examples


class Net(torch.nn.Module):
    def __init__(self, features, dim, k, units):
        super().__init__()
        self.k = k
        self.projection = torch.nn.Linear(dim, k, bias=False) if k else None
        self.hidden = torch.nn.Linear(features + 2 * k, units)
        self.output = torch.nn.Linear(units, 1)

    def forward(self, x, a, c, has_state):
        if self.projection is not None:
            za, zc = self.projection(a), self.projection(c)
            s = torch.cat([za * zc, (za - zc).abs()], dim=-1) * has_state[:, None]
            x = torch.cat([x, s], dim=-1)
        return self.output(torch.relu(self.hidden(x))).squeeze(-1)


def batch_tensors(examples, dim):
    """Flatten examples into pair rows with a group index."""
    xs, a_s, c_s, has, group, ys = [], [], [], [], [], []
    for g, e in enumerate(examples):
        n = len(e["x"])
        xs.append(e["x"])
        for i in range(n):
            ok = e["a"] is not None and e["c"][i] is not None
            a_s.append(e["a"] if ok else np.zeros(dim, np.float32))
            c_s.append(e["c"][i] if ok else np.zeros(dim, np.float32))
            has.append(1.0 if ok else 0.0)
        group += [g] * n
        ys.append(e["y"])
    t = lambda v, dt=torch.float32: torch.as_tensor(np.asarray(v), dtype=dt)
    return (t(np.concatenate(xs)), t(np.stack(a_s)) if dim else torch.zeros(len(group), 0), t(np.stack(c_s)) if dim else torch.zeros(len(group), 0),
            t(has), torch.as_tensor(group), torch.as_tensor(np.concatenate(ys)))


def group_loss(scores, group, y, n_groups, weights=None):
    """-log sum of softmax over the right candidates, per group, averaged (weighted)."""
    m = torch.full((n_groups,), -1e9).scatter_reduce(0, group, scores, reduce="amax")
    e = torch.exp(scores - m[group])
    total = torch.zeros(n_groups).index_add(0, group, e)
    right = torch.zeros(n_groups).index_add(0, group, e * y.float())
    loss = -(torch.log(right + 1e-12) - torch.log(total))
    if weights is None:
        return loss.mean()
    return (loss * weights).sum() / weights.sum()


def accuracy(net, examples, dim):
    """Share of examples whose best-scored candidate is a right one."""
    if not examples:
        return 0.0
    x, a, c, has, group, y = batch_tensors(examples, dim)
    with torch.no_grad():
        s = net(x, a, c, has)
    right, start = 0, 0
    for e in examples:
        n = len(e["x"])
        right += bool(e["y"][int(torch.argmax(s[start:start + n]))])
        start += n
    return right / len(examples)


def train(train_ex, dev_ex, dim, k, units, epochs, lr, decay, seed, source_weights=None):
    torch.manual_seed(seed)
    random.seed(seed)
    net = Net(train_ex[0]["x"].shape[1], dim, k, units)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=decay)
    best = (-1.0, None, 0)
    order = list(range(len(train_ex)))
    for epoch in range(epochs):
        random.shuffle(order)
        net.train()
        for i in range(0, len(order), 64):
            chunk = [train_ex[j] for j in order[i:i + 64]]
            x, a, c, has, group, y = batch_tensors(chunk, dim)
            weights = None
            if source_weights:
                weights = torch.tensor([source_weights.get(e["source"], 1.0) for e in chunk])
            loss = group_loss(net(x, a, c, has), group, y, len(chunk), weights)
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        acc = accuracy(net, dev_ex, dim)
        if acc > best[0]:
            best = (acc, {k_: v.clone() for k_, v in net.state_dict().items()}, epoch + 1)
    net.load_state_dict(best[1])
    return net, best[0], best[2]


def to_json(net, names, notes):
    sd = {k: v.detach().numpy().astype(np.float64) for k, v in net.state_dict().items()}
    r = lambda a: np.round(a, 6).tolist()
    return {
        "features": names,
        "projection": r(sd["projection.weight"]) if "projection.weight" in sd else [],
        "hidden": r(sd["hidden.weight"]),
        "hidden_bias": r(sd["hidden.bias"]),
        "output": r(sd["output.weight"][0]),
        "output_bias": float(sd["output.bias"][0]),
        "notes": notes,
    }


def evaluate(whosaid, model, resolver, gum_dev):
    base = [whosaid, "eval-coref", "--model", str(model), "--resolver", str(resolver), "--json"]
    gap = json.loads(run(base + ["--gap", str(SHARED / "gap" / "gap-validation.tsv")]))
    gum = json.loads(run(base + ["--gum", *map(str, gum_dev)]))
    news = json.loads(run(base + ["--resolved", str(RESOLVED_DEV), "--docs", str(FIXTURES / "polnear-dev" / "docs.jsonl")]))
    return gap, gum, news


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--whosaid", default=str(ROOT / "target" / "release" / "whosaid"))
    ap.add_argument("--k", type=int, default=32, help="projected state dimensions (0: features only)")
    ap.add_argument("--units", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--decay", type=float, default=1e-3)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--news-weight", type=float, default=3.0,
                    help="weight of the hand-resolved PolNeAR examples against GUM's and GAP's (1 each)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--work", type=Path, help="keep the dumps here (default: a temporary folder)")
    ap.add_argument("--state-dim", type=int, help="width of the encoder states the ONNX graph gives "
                    "(default: the model's hidden size)")
    args = ap.parse_args()

    started = time.time()
    torch.set_num_threads(2)
    work = args.work or Path(tempfile.mkdtemp(prefix="whosaid-coref-"))
    work.mkdir(parents=True, exist_ok=True)
    names = feature_names(args.whosaid)
    config = json.loads((args.model_dir / "config.json").read_text())
    state_dim = args.state_dim or config["hidden_size"]
    dim = state_dim if args.k else 0
    gum_train, gum_dev = gum_split()
    print(f"GUM train {len(gum_train)} documents, dev {len(gum_dev)} ({', '.join(GENRES)}); GAP development / validation",
          file=sys.stderr)
    resolver = work / "coref.round0.json"
    resolver.write_text(json.dumps(linear_prior(names, state_dim, args.k or 1)))
    history = []
    for rnd in range(1, args.rounds + 1):
        print(f"round {rnd}: dumping examples with {resolver.name}", file=sys.stderr)
        dump(args.whosaid, args.model_dir, resolver, work / "train-gum.jsonl", gum=gum_train)
        dump(args.whosaid, args.model_dir, resolver, work / "train-gap.jsonl", gap=SHARED / "gap" / "gap-development.tsv")
        dump(args.whosaid, args.model_dir, resolver, work / "dev-gum.jsonl", gum=gum_dev)
        dump(args.whosaid, args.model_dir, resolver, work / "dev-gap.jsonl", gap=SHARED / "gap" / "gap-validation.tsv")
        dump(args.whosaid, args.model_dir, resolver, work / "train-news.jsonl",
             resolved=(RESOLVED_TRAIN, FIXTURES / "polnear-train" / "docs.jsonl"))
        dump(args.whosaid, args.model_dir, resolver, work / "dev-news.jsonl",
             resolved=(RESOLVED_DEV, FIXTURES / "polnear-dev" / "docs.jsonl"))
        train_ex = load(work / "train-gum.jsonl") + load(work / "train-gap.jsonl") + load(work / "train-news.jsonl")
        dev_ex = load(work / "dev-gum.jsonl") + load(work / "dev-gap.jsonl") + load(work / "dev-news.jsonl")
        print(f"  {len(train_ex)} training examples, {len(dev_ex)} selection examples", file=sys.stderr)
        net, acc, epoch = train(train_ex, dev_ex, dim, args.k, args.units, args.epochs, args.lr, args.decay, args.seed,
                                {"resolved": args.news_weight})
        notes = {"round": rnd, "selection_accuracy": round(acc, 4), "epoch": epoch, "k": args.k, "units": args.units,
                 "train_examples": len(train_ex), "selection_examples": len(dev_ex),
                 "trained_on": "GUM train (bio, academic, court, voyage), GAP development, hand-resolved "
                               "polnear-train sources (weight " + str(args.news_weight) + ")",
                 "selected_on": "GUM dev (same genres), GAP validation, hand-resolved polnear-dev sources"}
        resolver = work / f"coref.round{rnd}.json"
        resolver.write_text(json.dumps(to_json(net, names, notes)))
        gap, gum, news = evaluate(args.whosaid, args.model_dir, resolver, gum_dev)
        notes.update({"gap_validation_f1": round(gap["overall"]["f1"], 4), "gap_bias": round(gap["bias"], 4),
                      "gum_dev_accuracy": round(gum["overall"]["accuracy"], 4),
                      "polnear_dev_resolved_accuracy": round(news["accuracy"], 4)})
        resolver.write_text(json.dumps(to_json(net, names, notes)))
        history.append(notes)
        print(f"  round {rnd}: selection accuracy {acc:.3f} (epoch {epoch}); GAP validation F1 "
              f"{gap['overall']['f1']:.3f}, bias {gap['bias']:.3f}; GUM dev {gum['overall']['accuracy']:.3f}; "
              f"polnear-dev resolved sources {news['accuracy']:.3f}",
              file=sys.stderr)
    best = max(history, key=lambda h: h["gap_validation_f1"] + h["gum_dev_accuracy"] + h["polnear_dev_resolved_accuracy"])
    final = work / f"coref.round{best['round']}.json"
    data = json.loads(final.read_text())
    data["notes"]["training_seconds"] = round(time.time() - started)
    (args.model_dir / "coref.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {args.model_dir / 'coref.json'} (round {best['round']}) in {time.time() - started:.0f} s",
          file=sys.stderr)
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
