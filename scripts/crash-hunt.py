#!/usr/bin/env python3
"""Hunt crashes with hostile variants of a real corpus (run through scripts/crash-hunt.sh).

Reads a JSONL corpus ({"id", "text"} a line) and derives variants the way scrapers and careless
pipelines damage text: cut right after each cue word and at random points, sentences shuffled,
paragraphs repeated or joined, quotation marks dropped or doubled, cue words stacked, every
sentence ending in a cue. All variants go through one `whosaid attribute` run; the script checks
that there is one output line per variant, in order, and reports every variant that got an
error line (`internal` is a contained panic), shrunk to its smallest failing form. A crash of
the whole run is reported too, with the variants of the chunk it died in shrunk.

Exit status: 0 when every variant got a result line, 1 otherwise, 2 for usage errors.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUOTE_MARKS = "\"“”‘’«»„‹›"


def cue_words():
    """The attribution lexicon's cue words, from the fuzz dictionary's "# cue words" section
    (a test keeps that section equal to the lexicon)."""
    words, section = [], None
    with open(os.path.join(ROOT, "fuzz", "news.dict"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                section = line[1:].strip()
            elif section == "cue words" and line.startswith('"'):
                words.append(line.strip('"'))
    return words


def sentences(text):
    """Rough sentence pieces: enough to shuffle and to end each in a cue."""
    return [s for s in re.split(r"(?<=[.!?\"”’])\s+", text) if s]


class Variants:
    def __init__(self, seed, cues):
        self.rng = random.Random(seed)
        self.cues = cues
        self.cue_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(cues, key=len, reverse=True))) + r")\b",
                                 re.IGNORECASE)

    def of(self, text):
        """(transformation, text) pairs for one document."""
        rng = self.rng
        out = []
        ends = [m.end() for m in self.cue_re.finditer(text)]
        for end in rng.sample(ends, min(len(ends), 6)):
            out.append(("cut_after_cue", text[:end]))
        for _ in range(2):
            out.append(("cut_random", text[: rng.randrange(len(text) + 1)]))
        sents = sentences(text)
        shuffled = sents[:]
        rng.shuffle(shuffled)
        out.append(("sentences_shuffled", " ".join(shuffled)))
        paras = text.split("\n\n")
        if paras:
            k = rng.randrange(len(paras))
            out.append(("paragraph_repeated", "\n\n".join(paras[: k + 1] + paras[k:])))
        out.append(("paragraphs_joined", text.replace("\n\n", " ").replace("\n", " ")))
        out.append(("quotes_dropped", "".join(c for c in text if c not in QUOTE_MARKS or rng.random() < 0.5)))
        out.append(("quotes_doubled", "".join(c * 2 if c in QUOTE_MARKS and rng.random() < 0.5 else c for c in text)))
        out.append(("cues_stacked", self.cue_re.sub(lambda m: " ".join([m.group(0)] * rng.randint(2, 3))
                                                    + " " + rng.choice(self.cues), text)))
        out.append(("sentences_end_in_cue", " ".join(re.sub(r"[.!?\"”’]*$", "", s) + " " + rng.choice(self.cues)
                                                     for s in sents)))
        return out


def run_whosaid(binary, flags, docs):
    """Run `whosaid attribute` over docs [(id, text)]; returns (lines by id or None, exit code, stderr)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, t in docs:
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        path = f.name
    try:
        p = subprocess.run([binary, "attribute", path, *flags], capture_output=True)
    finally:
        os.unlink(path)
    out = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            out.append({"id": None, "error": {"kind": "unparsable_output", "message": line[:200]}})
    return out, p.returncode, p.stderr.decode("utf-8", "replace")


def failure_of(line):
    """The error kind of an output line, or None for a result."""
    return line.get("error", {}).get("kind") if isinstance(line, dict) else "missing"


def shrink(binary, flags, text, kind, budget=12):
    """Smallest text (by delta debugging over words, then characters) that still gets error `kind`
    or still crashes the run. Each round tries all candidates in one whosaid run."""

    def still_fails(candidates):
        lines, code, _ = run_whosaid(binary, flags, [(f"c{i}", t) for i, t in enumerate(candidates)])
        if len(lines) < len(candidates):  # the run itself died: find which by halves
            if len(candidates) == 1:
                return 0
            half = len(candidates) // 2
            a = still_fails(candidates[:half])
            if a is not None:
                return a
            b = still_fails(candidates[half:])
            return None if b is None else half + b
        for i, line in enumerate(lines):
            if failure_of(line) == kind:
                return i
        return None

    for unit in ("words", "chars"):
        parts = re.findall(r"\S+\s*|\s+", text) if unit == "words" else list(text)
        n = 2
        rounds = 0
        while len(parts) >= 2 and rounds < budget * 4:
            rounds += 1
            size = max(1, len(parts) // n)
            chunks = [parts[i:i + size] for i in range(0, len(parts), size)]
            candidates = ["".join(p for j, c in enumerate(chunks) if j != k for p in c) for k in range(len(chunks))]
            hit = still_fails(candidates)
            if hit is not None:
                parts = [p for j, c in enumerate(chunks) if j != hit for p in c]
                n = max(n - 1, 2)
            elif size == 1:
                break
            else:
                n = min(n * 2, len(parts))
        text = "".join(parts)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 usage="%(prog)s CORPUS.jsonl... [--variants N] [--seed S] [--skip K] [--take N] [--save FILE] [-- FLAGS]")
    ap.add_argument("corpus", nargs="+", help="JSONL files with {id, text} lines")
    ap.add_argument("--variants", type=int, default=20000, help="how many variants to derive (default 20000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--whosaid", default=os.path.join(ROOT, "target", "release", "whosaid"))
    ap.add_argument("--save", help="also write the variants as JSONL here")
    ap.add_argument("--skip", type=int, default=0,
                    help="run only the variants after the first SKIP (the same variants for the same "
                         "corpus, --variants and --seed), to split a long hunt over several runs")
    ap.add_argument("--take", type=int, help="run only TAKE variants (after --skip)")
    argv = sys.argv[1:]
    own, flags = (argv[: argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    args = ap.parse_args(own)
    flags = flags or ["--fast"]
    probe, code, stderr = run_whosaid(args.whosaid if os.access(args.whosaid, os.X_OK) else "/bin/false", flags,
                                      [("probe", "A probe.")])
    if code == 2 or len(probe) != 1:
        print(f"crash-hunt: whosaid attribute {' '.join(flags)} does not run (exit {code}):\n{stderr[-1500:]}",
              file=sys.stderr)
        return 2
    docs = []
    for path in args.corpus:
        with open(path, encoding="utf-8") as f:
            docs.extend((d["id"], d["text"]) for d in map(json.loads, f) if isinstance(d.get("text"), str))
    if not docs:
        print("crash-hunt: no documents", file=sys.stderr)
        return 2
    maker = Variants(args.seed, cue_words())
    variants = []  # (id, transformation, text)
    round_no = 0
    while len(variants) < args.variants:
        for doc_id, text in docs:
            for kind, v in maker.of(text):
                variants.append((f"{doc_id}~{kind}~{round_no}~{len(variants)}", kind, v))
        round_no += 1
    variants = variants[: args.variants]
    first = min(max(args.skip, 0), len(variants))
    variants = variants[first: len(variants) if args.take is None else first + max(args.take, 0)]
    if not variants:
        print("crash-hunt: --skip and --take leave no variants", file=sys.stderr)
        return 2
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            for i, _, t in variants:
                f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    by_kind = Counter(k for _, k, _ in variants)
    print(f"crash-hunt: {len(variants)} variants (from number {first + 1} of {args.variants}) of {len(docs)} documents "
          f"({', '.join(f'{k} {n}' for k, n in sorted(by_kind.items()))}); whosaid attribute {' '.join(flags)}",
          file=sys.stderr)

    lines, code, stderr = run_whosaid(args.whosaid, flags, [(i, t) for i, _, t in variants])
    failures = Counter()
    bad = []
    in_order = all(line.get("id") == v[0] for line, v in zip(lines, variants))
    for (vid, kind, text), line in zip(variants, lines):
        f = failure_of(line)
        if f is not None:
            failures[f] += 1
            bad.append((vid, kind, text, f, line.get("error", {}).get("message", "")))
    missing = len(variants) - len(lines)
    if missing > 0:
        failures["run_crashed"] += 1
        died = variants[len(lines): len(lines) + 64]
        for vid, kind, text in died:
            bad.append((vid, kind, text, "missing", "the run died before writing this line"))
        print(f"crash-hunt: whosaid exited {code} after {len(lines)} lines:\n{stderr[-2000:]}", file=sys.stderr)

    print(f"variants in: {len(variants)}")
    print(f"lines out: {len(lines)} (in input order: {'yes' if in_order else 'NO'})")
    print(f"whosaid exit status: {code}")
    print(f"panics (internal errors): {failures.get('internal', 0)}")
    print(f"other error lines: {sum(n for k, n in failures.items() if k not in ('internal', 'run_crashed'))}"
          + (f" {dict(failures)}" if failures else ""))
    seen = set()
    for vid, kind, text, f, message in bad:
        key = (f, message.split(" (")[0][:120])
        if key in seen:
            continue  # one shrunk example per distinct failure
        seen.add(key)
        small = shrink(args.whosaid, flags, text, f if f != "missing" else "missing")
        print(f"\n--- {vid} ({kind}): {f}: {message[:400]}\nsmallest form ({len(small)} chars): {json.dumps(small)}")
    ok = not bad and len(lines) == len(variants) and in_order
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
