#!/usr/bin/env python3
"""Train whosaid's joint model: one BERT encoder, two token heads.

- `classifier`: named entities (PER, ORG, LOC, MISC in IOB2), trained on CoNLL-2003 sentences;
- `role_classifier`: attribution roles (CUE, SOURCE, CONTENT in BIO), trained on PolNeAR
  train, whose annotation is univocal (each word carries at most one role), on paragraph
  windows of at most 200 wordpieces.

It starts from a trained NER model directory (default `models/ner-conll03-minilm-l6`: its
encoder and entity head), adds a freshly initialised role head, and trains both heads
together: each batch is either CoNLL sentences (entity loss) or PolNeAR paragraphs (role
loss), shuffled together. On the PolNeAR batches the entity head also keeps to the entity
model's label distributions (`--entity-teacher`): without that, the shared encoder drifts
on PolNeAR's frequent names and the entity head cuts them ("Donald" | "Trump's").
`--keep-layers` and `--teacher` train a smaller student distilled from a joint model (tried
for speed; see the model card). The epoch is selected on polnear-dev role F1 (CONTENT, CUE, SOURCE
mean); CoNLL++ dev and test are reported for the chosen epoch.

PolNeAR is tokenized by whosaid's own tokenize stage (the `dump_tokens` example of
crates/tokenize), so that training and inference see the same words and the same
paragraphs. The encoder is transformers 4.46.3's `BertModel` (runs on the project's torch
2.4.0; `scripts/compare.sh` installs it into .bench/hf-site, and so does this script's
usage line below).

Usage:
  .venv/bin/pip install --target .bench/hf-site transformers==4.46.3   # once
  PYTHONPATH=.bench/hf-site .venv/bin/python scripts/train_roles.py \
      [--init-from models/ner-conll03-minilm-l6] [--out models/whosaid-minilm-l6]
Not part of CI: about 15 minutes on 2 cores (entity teacher logits, then 603 s of training for
models/whosaid-minilm-l6; see its model card). The default model, models/whosaid-minilm-l4, is
then distilled from it (about 10 minutes; its model card):
  PYTHONPATH=.bench/hf-site .venv/bin/python scripts/train_roles.py \
      --init-from models/whosaid-minilm-l6 --keep-layers 0,2,4,5 \
      --teacher models/whosaid-minilm-l6 --epochs 4 --out models/whosaid-minilm-l4
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from torch import nn
from transformers import BertConfig, BertModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_ner  # noqa: E402  (casing, windows, CoNLL reading and scoring, shared with NER)

ROLE_LABELS = ["O", "B-CUE", "I-CUE", "B-SOURCE", "I-SOURCE", "B-CONTENT", "I-CONTENT"]
ROLES = ["CUE", "SOURCE", "CONTENT"]
# Wordpieces per paragraph window, [CLS] and [SEP] excluded. crates/ner's ROLE_MAX_PIECES.
ROLE_MAX_PIECES = 200


class JointTagger(nn.Module):
    """BERT encoder with an entity head and a role head over the same hidden states.
    Parameter names follow Hugging Face's BertForTokenClassification (`bert.*`,
    `classifier.*`), plus `role_classifier.*`; crates/ner loads them by these names."""

    def __init__(self, cfg, n_roles):
        super().__init__()
        self.bert = BertModel(BertConfig(**cfg), add_pooling_layer=False)
        self.dropout = nn.Dropout(cfg.get("hidden_dropout_prob", 0.1))
        self.classifier = nn.Linear(cfg["hidden_size"], len(cfg["id2label"]))
        self.role_classifier = nn.Linear(cfg["hidden_size"], n_roles)
        nn.init.normal_(self.role_classifier.weight, std=cfg.get("initializer_range", 0.02))
        nn.init.zeros_(self.role_classifier.bias)

    def forward(self, ids, types, mask):
        hidden = self.bert(input_ids=ids, token_type_ids=types, attention_mask=mask.long()).last_hidden_state
        hidden = self.dropout(hidden)
        return self.classifier(hidden), self.role_classifier(hidden)


class HeadView(nn.Module):
    """The joint model seen as train_ner's tagger: one head's logits (0 entities, 1 roles),
    for train_ner's prediction and scoring."""

    def __init__(self, joint, head):
        super().__init__()
        self.joint = joint
        self.head = head

    def forward(self, ids, types, mask):
        return self.joint(ids, types, mask)[self.head]


def load_joint(model_dir):
    """A trained joint model (entity and role heads), weights in fp32."""
    cfg = json.load(open(model_dir / "config.json"))
    model = JointTagger(cfg, len(cfg["role_labels"]))
    state = {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    model.load_state_dict(state)
    return model.eval()


# ---------------------------------------------------------------- PolNeAR data


def dump_tokens(jsonl, repo):
    """Words and paragraphs of each article, by whosaid's tokenize stage."""
    out = subprocess.run(
        ["cargo", "run", "--release", "-q", "-p", "whosaid-tokenize", "--example", "dump_tokens"],
        stdin=open(jsonl, "rb"),
        capture_output=True,
        check=True,
        cwd=repo,
    ).stdout
    return {d["id"]: d for d in map(json.loads, out.splitlines())}


def role_tags(tokens, attributions):
    """One BIO role tag per token: a token takes the role of the annotated piece holding its
    first code point; a new piece (or another attribution) begins a new span."""
    owner = {}
    for a, attribution in enumerate(attributions):
        for role in ROLES:
            for p, (s, e) in enumerate(attribution.get(role.lower()) or []):
                for c in range(s, e):
                    owner.setdefault(c, (a, role, p))
    tags, previous = [], None
    for s, e in tokens:
        here = next((owner[c] for c in range(s, e) if c in owner), None)
        if here is None:
            tags.append("O")
        else:
            tags.append(("I-" if here == previous else "B-") + here[1])
        previous = here
    return tags


def polnear_paragraphs(jsonl, repo):
    """(words, role tags) per paragraph of every article."""
    dumped = dump_tokens(jsonl, repo)
    out = []
    for line in open(jsonl, encoding="utf-8"):
        article = json.loads(line)
        d = dumped[article["id"]]
        chars = article["text"]
        cp = list(chars)
        tokens = d["tokens"]
        tags = role_tags(tokens, article["attributions"])
        for first, end in d["paragraphs"]:
            words = ["".join(cp[s:e]) for s, e in tokens[first:end]]
            out.append((words, tags[first:end]))
    return out


def conll_passages(path, pieces):
    """CoNLL documents as passages: consecutive sentences of one document packed greedily
    into (words, tags) of at most ROLE_MAX_PIECES wordpieces, the size of the paragraph
    windows the entity head reads at inference (`--entity-passages`; tried, it did not stop
    the cut names the entity teacher stopped: see the model card)."""
    out = []
    for doc in train_ner.read_conll_documents(path):
        words, tags, size = [], [], 0
        for w, t in doc:
            n = sum(len(pieces(x)) for x in w)
            if words and size + n > ROLE_MAX_PIECES:
                out.append((words, tags))
                words, tags, size = [], [], 0
            words, tags, size = words + w, tags + t, size + n
        if words:
            out.append((words, tags))
    return out


def predict_roles(model, paragraphs, pieces):
    """Role tags per paragraph, windowed like the Rust inference."""
    return train_ner.predict(
        HeadView(model, 1), paragraphs, pieces, batch_size=32, autocast=True, labels=ROLE_LABELS,
        max_pieces=ROLE_MAX_PIECES,
    )


def role_scores(paragraphs, preds):
    """Exact-span precision, recall and F1 per role (train_ner's conlleval chunk scoring)."""
    scores = train_ner.score(paragraphs, preds)
    zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    return {role: scores.get(role, zero) for role in ROLES}


# ---------------------------------------------------------------- training


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--init-from", default="models/ner-conll03-minilm-l6")
    ap.add_argument("--out", default="models/whosaid-minilm-l6")
    ap.add_argument("--polnear", default="../shared/data/polnear")
    ap.add_argument("--conll", default="../shared/data/conll2003")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="use only this many training windows of each kind (smoke test)")
    ap.add_argument(
        "--entity-teacher", default="models/ner-conll03-minilm-l6",
        help="entity model whose label distributions on the PolNeAR paragraphs the entity head keeps to ('' for none)",
    )
    ap.add_argument("--entity-teacher-weight", type=float, default=1.0)
    ap.add_argument(
        "--entity-passages", action=argparse.BooleanOptionalAction, default=False,
        help="also train the entity head on CoNLL passages (a document's consecutive sentences packed into windows "
        "of up to 200 wordpieces), the windows it reads at inference, besides single sentences",
    )
    ap.add_argument("--keep-layers", default=None, help="encoder layers of --init-from to keep, e.g. 0,2,4 (a smaller student)")
    ap.add_argument("--teacher", default=None, help="trained joint model directory whose entity and role label distributions to distil")
    ap.add_argument("--kd-weight", type=float, default=0.5, help="share of each loss from the teacher (0..1)")
    ap.add_argument("--kd-temperature", type=float, default=2.0)
    args = ap.parse_args()

    repo = Path(__file__).resolve().parent.parent
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    init = Path(args.init_from)
    cfg = json.load(open(init / "config.json"))
    pieces = train_ner.WordPieces(Tokenizer.from_file(str(init / "tokenizer.json")))

    t0 = time.time()
    role_train = polnear_paragraphs(Path(args.polnear) / "train.jsonl", repo)
    role_dev = polnear_paragraphs(Path(args.polnear) / "dev.jsonl", repo)
    conll_train = train_ner.read_conll(Path(args.conll) / "conllpp_train.txt")
    conll_dev = train_ner.read_conll(Path(args.conll) / "conllpp_dev.txt")
    role_examples = train_ner.training_examples(role_train, pieces, ROLE_LABELS, ROLE_MAX_PIECES)
    ner_examples = train_ner.training_examples(conll_train, pieces)
    if args.entity_passages:
        passages = conll_passages(Path(args.conll) / "conllpp_train.txt", pieces)
        ner_examples += train_ner.training_examples(passages, pieces, max_pieces=ROLE_MAX_PIECES)
    if args.limit:
        role_examples, ner_examples = role_examples[: args.limit], ner_examples[: args.limit]
    print(
        f"{len(role_train)} PolNeAR paragraphs -> {len(role_examples)} windows; "
        f"{len(conll_train)} CoNLL sentences -> {len(ner_examples)} windows ({time.time() - t0:.0f} s)",
        flush=True,
    )

    soft = {"role": None, "ner": None}
    if args.teacher is not None:
        # Computed once, before the student exists: the teacher's logits at every labelled
        # position of every training window, for both heads.
        tk = time.time()
        teacher = load_joint(Path(args.teacher))
        with torch.autocast("cpu", dtype=torch.bfloat16):
            soft["role"] = [x.float() for x in train_ner.teacher_logits(HeadView(teacher, 1), role_examples)]
            soft["ner"] = [x.float() for x in train_ner.teacher_logits(HeadView(teacher, 0), ner_examples)]
        del teacher
        print(f"teacher logits for {len(role_examples) + len(ner_examples)} windows in {time.time() - tk:.0f} s", flush=True)

    # Without this, fine-tuning the shared encoder on PolNeAR's roles drifts the entity head
    # on exactly the words PolNeAR is full of: the first joint model tagged "Donald Trump's"
    # as "Donald" alone (PER entities on polnear-dev 2274 against the entity model's 2476).
    entity_soft = None
    if args.entity_teacher:
        tk = time.time()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            entity_soft = [x.float() for x in train_ner.teacher_logits(train_ner.load_tagger(args.entity_teacher)[1], role_examples)]
        print(f"entity teacher logits for {len(role_examples)} paragraph windows in {time.time() - tk:.0f} s", flush=True)

    keep = [int(i) for i in args.keep_layers.split(",")] if args.keep_layers else list(range(cfg["num_hidden_layers"]))
    state = {k: v.float() for k, v in train_ner.keep_encoder_layers(load_file(str(init / "model.safetensors")), keep).items()}
    cfg["num_hidden_layers"] = len(keep)
    model = JointTagger(cfg, len(ROLE_LABELS))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or any(not k.startswith("role_classifier.") for k in missing):
        raise SystemExit(f"{init}: weights do not fit: missing {missing}, unexpected {unexpected}")

    no_decay = lambda n: n.endswith("bias") or "LayerNorm" in n
    groups = [
        {"params": [p for n, p in model.named_parameters() if not no_decay(n)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if no_decay(n)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr, fused=True)
    steps_per_epoch = len(role_examples) // args.batch_size + len(ner_examples) // args.batch_size + 2
    total = steps_per_epoch * args.epochs
    warmup = int(0.1 * total)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup))
    )

    history, best, best_state = [], None, None
    train_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        t = time.time()
        batches = [("role", b) for b in train_ner.bucketed_batches(role_examples, args.batch_size, rng)]
        batches += [("ner", b) for b in train_ner.bucketed_batches(ner_examples, args.batch_size, rng)]
        rng.shuffle(batches)
        losses = {"role": [], "ner": []}
        for step, (kind, batch) in enumerate(batches):
            data = role_examples if kind == "role" else ner_examples
            ids = train_ner.pad([data[i][0] for i in batch], 0)
            types = train_ner.pad([data[i][1] for i in batch], 0)
            labels = train_ner.pad([data[i][2] for i in batch], -100)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                entity_logits, role_logits = model(ids, types, ids != 0)
            logits = role_logits if kind == "role" else entity_logits
            loss = F.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), ignore_index=-100)
            if soft[kind] is not None:
                # Row-major order of the labelled positions matches the per-window teacher rows.
                rows = torch.cat([soft[kind][i] for i in batch])
                kd = train_ner.distillation_loss(logits, labels, rows, args.kd_temperature)
                loss = (1 - args.kd_weight) * loss + args.kd_weight * kd
            if kind == "role" and entity_soft is not None:
                rows = torch.cat([entity_soft[i] for i in batch])
                loss = loss + args.entity_teacher_weight * train_ner.distillation_loss(entity_logits, labels, rows, 1.0)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            losses[kind].append(loss.item())
            if step % 200 == 0:
                print(f"epoch {epoch} step {step}/{len(batches)} {kind} loss {loss.item():.4f} ({time.time() - t:.0f} s)", flush=True)
        seconds = time.time() - t
        scores = role_scores(role_dev, predict_roles(model, role_dev, pieces))
        ner_dev = train_ner.score(conll_dev, train_ner.predict(HeadView(model, 0), conll_dev, pieces, autocast=True))
        mean = sum(s["f1"] for s in scores.values()) / len(scores)
        row = {
            "epoch": epoch,
            "role_loss": sum(losses["role"]) / max(1, len(losses["role"])),
            "entity_loss": sum(losses["ner"]) / max(1, len(losses["ner"])),
            "dev_roles": scores,
            "dev_role_mean_f1": mean,
            "conll_dev_f1": ner_dev["micro"]["f1"] if "micro" in ner_dev else ner_dev,
            "seconds": round(seconds),
        }
        history.append(row)
        print(json.dumps(row), flush=True)
        if best is None or mean > best["dev_role_mean_f1"]:
            best = row
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    train_seconds = time.time() - train_start

    model.load_state_dict(best_state)
    conll_results = {}
    for name in ["conllpp_dev.txt", "conllpp_test.txt", "conll2003_test_original.txt"]:
        sentences = train_ner.read_conll(Path(args.conll) / name)
        conll_results[name] = train_ner.score(sentences, train_ner.predict(HeadView(model, 0), sentences, pieces))

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg_out = dict(cfg)
    cfg_out["architectures"] = ["BertForTokenClassification"]
    cfg_out["role_labels"] = ROLE_LABELS
    json.dump(cfg_out, open(out / "config.json", "w"), indent=2)
    shutil.copy(init / "tokenizer.json", out / "tokenizer.json")
    weights = {k: v.half().contiguous() for k, v in model.state_dict().items()}
    save_file(weights, str(out / "model.safetensors"))
    report = {
        "args": vars(args),
        "role_windows": len(role_examples),
        "entity_windows": len(ner_examples),
        "best_epoch": best["epoch"],
        "train_seconds": round(train_seconds),
        "history": history,
        "conll": conll_results,
    }
    json.dump(report, open(out / "training_report.json", "w"), indent=2)
    print(json.dumps({"best_epoch": best["epoch"], "conll": {k: v.get("micro", v) for k, v in conll_results.items()}}))


if __name__ == "__main__":
    main()
