# %% [markdown]
# # Who is quoted in a folder of articles?
# A first whosaid session in Python: attribute every article of a folder, then count the
# quotations per speaker with pandas. Run it as a script
# (`.venv/bin/python examples/notebook.py [FOLDER]`) or cell by cell in Jupyter/VS Code.

# %%
import pathlib
import sys

import whosaid

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "articles")
articles = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
print(f"{len(articles)} articles in {folder}")

# %% Load the pipeline once (the default model; whosaid.Pipeline(fast=True) is about 1.5x faster on
#    300 polnear-train articles, 2026-12-07: 8.5 s against 12.4 to 13.7 s, with less reported speech).
pipeline = whosaid.Pipeline()

# %% One dict per article, exactly what `whosaid attribute` prints for it.
results = list(pipeline.attribute_iter(articles.items()))
for r in results:
    if "error" in r:
        print(f"{r['id']}: not processed ({r['error']['kind']}): {r['error']['message']}")

# %% One row per quotation.
quotes = whosaid.to_frame(results)
print(quotes[["doc_id", "kind", "speaker_name", "text"]].head(10).to_string())

# %% Quotations per speaker: who is quoted most, how, and in how many articles.
per_speaker = (
    quotes.dropna(subset=["speaker_name"])
    .groupby(["speaker_name", "speaker_type"])
    .agg(quotations=("text", "size"), articles=("doc_id", "nunique"), mean_confidence=("confidence", "mean"))
    .sort_values("quotations", ascending=False)
)
print(per_speaker.head(15).to_string())

# %% The same quotations by kind (direct, mixed, indirect) for the five most quoted speakers.
top = per_speaker.head(5).index.get_level_values(0)
print(quotes[quotes.speaker_name.isin(top)].pivot_table(index="speaker_name", columns="kind", values="text", aggfunc="size", fill_value=0))
