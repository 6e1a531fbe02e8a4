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

Run with the project venv (scripts/setup.sh installs torch, onnx and onnxruntime):
  .venv/bin/python scripts/export_onnx.py models/whosaid-minilm-l6
Nothing is downloaded: the weights come from the directory's model.safetensors.
"""

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_ner import load_role_head, load_tagger  # noqa: E402  (the module the model was trained with)


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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--hidden-layers", default="", help="the layers (1-based, comma-separated) whose outputs, "
                        "concatenated, are the hidden output (default: the last)")
    args = parser.parse_args()

    cfg, tagger = load_tagger(args.model_dir)
    role_head = load_role_head(args.model_dir, cfg)
    hidden_layers = [int(i) for i in args.hidden_layers.split(",") if i]
    model = OnnxTagger(tagger, role_head, hidden_layers).eval()
    outputs = ["logits", "hidden"] if role_head is None else ["logits", "role_logits", "hidden"]

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


if __name__ == "__main__":
    main()
