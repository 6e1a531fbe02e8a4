"""Export a whosaid NER model directory to ONNX for the ONNX Runtime backend (--backend onnx).

Writes, inside the model directory:
  onnx/model.onnx       fp32, inputs input_ids / attention_mask / token_type_ids (int64,
                        [batch, sequence]), output logits ([batch, sequence, labels]), for a
                        joint model (config.json has role_labels) role_logits ([batch,
                        sequence, role labels]), and hidden ([batch, sequence, hidden size]:
                        the encoder's last layer, which both heads read and speaker
                        coreference pools mention states from), all from the same pass
  onnx/model.int8.onnx  the same with int8 weights (ONNX Runtime dynamic quantisation of the
                        MatMul weights; activations are quantised on the fly)
  onnx/export.json      the versions of the packages that made the graphs and each graph's
                        SHA-256: the int8 weights depend on the quantiser's version, so a graph
                        made by other versions is another model (scripts/setup.sh exports again
                        when they differ; the model card names the digest its figures were
                        measured with)

Run with the project venv (scripts/setup.sh installs torch, onnx and onnxruntime):
  .venv/bin/python scripts/export_onnx.py models/whosaid-minilm-l6
  .venv/bin/python scripts/export_onnx.py --check models/whosaid-minilm-l6   # exit 1 if stale
Nothing is downloaded: the weights come from the directory's model.safetensors.
"""

import argparse
import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path


def onnx_tagger(model_dir, hidden_layers):
    """The model to export; torch is imported here, so that `--check` starts fast."""
    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from train_ner import load_role_head, load_tagger  # the module the model was trained with

    class OnnxTagger(torch.nn.Module):
        """The trained module with the masking rust-bert uses: (1 - mask) * -10000 added to the
        attention scores, so both backends compute the same function."""

        def __init__(self, tagger, role_head, hidden_layers):
            super().__init__()
            self.tagger = tagger
            self.role_head = role_head
            self.hidden_layers = hidden_layers

        def forward(self, input_ids, attention_mask, token_type_ids):
            bert = self.tagger.bert
            bias = ((1.0 - attention_mask.to(torch.float32)) * -10000.0)[:, None, None, :]
            x = bert.embeddings(input_ids, token_type_ids)
            layers = []
            for layer in bert.encoder.layer:
                x = layer(x, bias)
                layers.append(x)
            states = torch.cat([layers[i - 1] for i in self.hidden_layers], dim=-1) if self.hidden_layers else x
            if self.role_head is None:
                return self.tagger.classifier(x), states
            return self.tagger.classifier(x), self.role_head(x), states

    cfg, tagger = load_tagger(model_dir)
    role_head = load_role_head(model_dir, cfg)
    return OnnxTagger(tagger, role_head, hidden_layers).eval(), role_head is not None


GRAPHS = ("model.onnx", "model.int8.onnx")


def package_versions():
    """The versions of what computes the graphs' bytes: the exporter (torch), the quantiser
    (onnxruntime, with numpy's arithmetic) and the protobuf writer (onnx)."""
    return {name: version(name) for name in ("torch", "onnx", "onnxruntime", "numpy")}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_current(out_dir):
    """Were the graphs in `out_dir` made by this venv's packages, and are they the files made?"""
    try:
        stamp = json.loads((out_dir / "export.json").read_text())
    except (OSError, ValueError):
        return False
    return stamp.get("packages") == package_versions() and all(
        (out_dir / g).is_file() and stamp.get("sha256", {}).get(g) == sha256(out_dir / g) for g in GRAPHS)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--check", action="store_true", help="export nothing; exit 1 when the graphs are missing "
                        "or were made by other package versions than this venv's (onnx/export.json)")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--hidden-layers", default="", help="the layers (1-based, comma-separated) whose outputs, "
                        "concatenated, are the hidden output (default: the last)")
    args = parser.parse_args()
    if args.check:
        sys.exit(0 if is_current(args.model_dir / "onnx") else 1)

    import torch

    hidden_layers = [int(i) for i in args.hidden_layers.split(",") if i]
    model, joint = onnx_tagger(args.model_dir, hidden_layers)
    outputs = ["logits", "role_logits", "hidden"] if joint else ["logits", "hidden"]

    out_dir = args.model_dir / "onnx"
    out_dir.mkdir(exist_ok=True)
    fp32 = out_dir / "model.onnx"
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    types = torch.tensor([[0, 1, 2, 0], [0, 1, 0, 0]], dtype=torch.long)
    dynamic = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, mask, types),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=outputs,
            dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "token_type_ids": dynamic,
                          **{name: dynamic for name in outputs}},
            opset_version=args.opset,
            do_constant_folding=True,
        )
        reference = model(ids, mask, types)

    import numpy as np
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    int8 = out_dir / "model.int8.onnx"
    # Per-channel weight scales: per-tensor ones cost 0.8 F1 points on CoNLL++, per-channel none.
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"], per_channel=True)

    feeds = {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": types.numpy()}
    for path in (fp32, int8):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        got = session.run(outputs, feeds)
        real = mask.numpy().astype(bool)
        diff = max(float(np.abs(g - r.numpy())[real].max()) for g, r in zip(got[:-1], reference[:-1]))
        hidden = float(np.abs(got[-1] - reference[-1].numpy())[real].max())
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, outputs {outputs}, max |logit - torch| = {diff:.2e}, "
              f"max |hidden - torch| = {hidden:.2e}")
    stamp = {"packages": package_versions(), "sha256": {g: sha256(out_dir / g) for g in GRAPHS}}
    (out_dir / "export.json").write_text(json.dumps(stamp, indent=2) + "\n")
    print(f"{out_dir / 'export.json'}: int8 graph sha256 {stamp['sha256']['model.int8.onnx']}")


if __name__ == "__main__":
    main()
