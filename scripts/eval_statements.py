#!/usr/bin/env python3
# Usage: scripts/eval_statements.py ../shared/data/polnear/dev.jsonl OUT.jsonl (a `whosaid attribute` output
# of ../shared/fixtures/polnear-dev/docs.jsonl; the raw PolNeAR file has the same ids and texts).
"""Mixed quotations' `clause` against PolNeAR's annotated contents: for each system mixed
quotation whose fragment lies in an annotated content, character F1 of the clause (or of the
fragment alone) against that content piece."""
import json, sys
raw = {json.loads(l)['id']: json.loads(l) for l in open(sys.argv[1])}
def f1(a, b):
    ov = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    if ov == 0: return 0.0
    p, r = ov / (a[1] - a[0]), ov / (b[1] - b[0]); return 2 * p * r / (p + r)
n = with_clause = 0; fc = ff = 0.0; half_c = half_f = 0
for l in open(sys.argv[2]):
    r = json.loads(l); doc = raw.get(r['id'])
    if not doc: continue
    pieces = [tuple(p) for a in doc['attributions'] for p in a.get('content', [])]
    for q in r.get('quotes', []):
        if q['kind'] != 'mixed': continue
        frag = (q['start'], q['end'])
        cont = [p for p in pieces if p[0] <= frag[0] and frag[1] <= p[1]]
        if not cont: continue
        c = min(cont, key=lambda p: p[1] - p[0])
        n += 1
        cl = q.get('clause'); span = (cl['start'], cl['end']) if cl else frag
        with_clause += bool(cl)
        a, b = f1(span, c), f1(frag, c)
        fc += a; ff += b; half_c += a >= 0.8; half_f += b >= 0.8
print(f"{n} mixed quotations inside an annotated content; {with_clause} with a clause")
print(f"mean char F1 vs the content: clause (fragment where none) {fc/n:.3f}, fragment alone {ff/n:.3f}")
print(f"F1 >= 0.8: clause {half_c} ({half_c/n:.1%}), fragment {half_f} ({half_f/n:.1%})")
