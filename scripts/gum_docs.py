#!/usr/bin/env python3
"""Rebuild GUM documents' running text from their CoNLL-U files, as whosaid reads them.

    scripts/gum_docs.py ../shared/data/coref/gum/conllu --genres news,interview > gum.jsonl

Writes one `{"id", "text"}` JSON line per document (the id is GUM's `# newdoc id`). This is the
same text `whosaid` builds when it reads a `.conllu` file (crates/cli/src/conllu.rs; a test holds
the two to the same rules), so offsets in `tests/fixtures/gum-news-interview-quotes.jsonl` index
either. The rules:

- each `# newpar` starts a paragraph; paragraphs are separated by a blank line ("\\n\\n");
- a paragraph's sentences are their `# text = ...` lines joined by one space;
- a paragraph that opens a speaker turn (`# newpar_block = sp who:::"#ChristopherHill" ...`, the
  Wikinews interviews) starts with the speaker's name and a colon, the name's CamelCase split into
  words ("Christopher Hill: ..."), as Wikinews prints its interviews.

Nothing here is copied into the repository: the text is rebuilt from ../shared at run time.
"""
import argparse
import json
import re
import sys
from pathlib import Path


def split_camel(name: str) -> str:
    """'ChristopherHill' -> 'Christopher Hill', 'WilliamSSaturn' -> 'William S Saturn',
    'HughMcGuire' -> 'Hugh McGuire' (a word's 'Mc' keeps its capital)."""
    out = []
    for i, ch in enumerate(name):
        if i > 0 and ch.isupper():
            word = "".join(out).split(" ")[-1]
            after_lower = name[i - 1].islower() and word != "Mc"
            before_word = name[i - 1].isupper() and i + 1 < len(name) and name[i + 1].islower()
            if after_lower or before_word:
                out.append(" ")
        out.append(ch)
    return "".join(out)


def documents(path: Path):
    doc_id, paragraphs, current = None, [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc id = "):
            if doc_id is not None:
                yield doc_id, "\n\n".join(" ".join(p) for p in paragraphs)
            doc_id, paragraphs, current = line.split("=", 1)[1].strip(), [], None
        elif line.startswith("# newpar") and not line.startswith("# newpar_block"):
            current = []
            paragraphs.append(current)
        elif line.startswith("# newpar_block = "):
            m = re.match(r'# newpar_block = sp who:::"#([^"]+)"', line)
            if m and current is not None and not current:
                current.append(split_camel(m.group(1)) + ":")
        elif line.startswith("# text = "):
            if current is None:
                current = []
                paragraphs.append(current)
            current.append(line[len("# text = "):])
    if doc_id is not None:
        yield doc_id, "\n\n".join(" ".join(p) for p in paragraphs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("conllu", type=Path, help="a .conllu file or a folder of them")
    ap.add_argument("--genres", default="news,interview", help="GUM genres to keep (comma-separated; 'all' for every one)")
    args = ap.parse_args()
    files = sorted(args.conllu.glob("*.conllu")) if args.conllu.is_dir() else [args.conllu]
    genres = None if args.genres == "all" else set(args.genres.split(","))
    for f in files:
        for doc_id, text in documents(f):
            genre = doc_id.split("_")[1] if doc_id.count("_") >= 2 else ""
            if genres is None or genre in genres:
                sys.stdout.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
