"""The second method of crisis detection: a model of meaning, for wordings no rule in crisis.py lists.

Each sentence of a message (and the message as a whole) is turned into a sentence embedding
(strategy_calls/sentences.py, all-MiniLM-L6-v2 run in numpy), and a logistic regression over those 384
numbers gives the chance that it is a crisis message. Its weights (crisis_model.npy: 384 weights and a bias)
were fitted on the messages of tests/crisis_corpus.py and tests/crisis_heldout.py by
`python manage.py fit_crisis_model`, which writes that file again after the messages change. A message is
flagged when its best sentence scores at least STRATEGY_CALL_CRISIS_MODEL_THRESHOLD, and the notification
names the score and the sentence: crisis model 0.91: “…”.

The rules name a sign a clinician can read; the model catches what they have no rule for. crisis.py flags a
request when either does (docs/strategy-calls.md gives both methods' rates on messages they had not seen).
The model is loaded on first use, once per process (0.3–1 s and about 130 MB); settings and URLs never load it.
"""

import re
import threading
from pathlib import Path

from django.conf import settings

WEIGHTS = Path(__file__).with_name("crisis_model.npy")
MODEL_NAME = "crisis model {score:.2f}: “{sentence}”"
REGULARISATION = 0.1  # chosen on held-out batches 1–4 with the corpus alone (docs/strategy-calls.md)
# What the model reads: each sentence (one that runs on is cut into pieces of CHUNK_WORDS words, overlapping
# by OVERLAP), and a short message as a whole as well. The model was trained on short messages, and a
# sentence of crisis buried in a long message would be averaged away if only the whole were read.
CHUNK_WORDS = 40
OVERLAP = 10
WHOLE_WORDS = 60
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\s*\n+\s*")

_lock = threading.Lock()
_loaded = None


def _load():
    """The encoder and the weights, loaded once per process; a failure raises every time it is asked."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                import numpy as np

                from .sentences import Encoder

                weights = np.load(WEIGHTS)
                _loaded = (Encoder(), weights[:-1].astype(np.float32), float(weights[-1]))
    return _loaded


def sentences(text):
    """The pieces of `text` the model reads: its sentences (long ones cut), and the whole when it is short."""
    pieces = []
    for sentence in _SENTENCE_END.split(text or ""):
        words = sentence.split()
        for start in range(0, max(len(words) - OVERLAP, 1), CHUNK_WORDS - OVERLAP):
            if words[start:start + CHUNK_WORDS]:
                pieces.append(" ".join(words[start:start + CHUNK_WORDS]))
    whole = " ".join((text or "").split())
    if len(pieces) > 1 and len(whole.split()) <= WHOLE_WORDS:
        pieces.insert(0, whole)
    return pieces or [whole]


def score(text):
    """(chance 0–1, the sentence that scored it): the best-scoring sentence of the message."""
    import numpy as np

    encoder, weights, bias = _load()
    candidates = sentences(text)
    if not candidates[0]:
        return 0.0, ""
    logits = encoder.encode(candidates) @ weights + bias
    best = int(np.argmax(logits))
    return float(1.0 / (1.0 + np.exp(-logits[best]))), candidates[best]


def find_signs(text):
    """["crisis model 0.91: “…”"] when the model is sure enough that `text` is a crisis message, else []."""
    chance, sentence = score(text)
    if chance < settings.STRATEGY_CALL_CRISIS_MODEL_THRESHOLD:
        return []
    shown = sentence if len(sentence) <= 120 else sentence[:119] + "…"
    return [MODEL_NAME.format(score=chance, sentence=shown)]


def embed(messages):
    """The messages' sentence embeddings, one row each, encoded 64 at a time (memory stays under 200 MB)."""
    import numpy as np

    from .sentences import Encoder

    encoder = _loaded[0] if _loaded else Encoder()
    return np.vstack([encoder.encode(messages[start:start + 64]) for start in range(0, len(messages), 64)])


def fit(urgent, others, regularisation=REGULARISATION):
    """Logistic regression (Newton's method, L2 on the weights) of urgent=1 / others=0 on their embeddings.

    `urgent` and `others` are arrays of embeddings (see embed()). Returns 385 numbers: the weights and the
    bias, as crisis_model.npy stores them.
    """
    import numpy as np

    features = np.vstack([urgent, others]).astype(np.float64)
    features = np.hstack([features, np.ones((len(features), 1))])
    target = np.r_[np.ones(len(urgent)), np.zeros(len(others))]
    penalty = regularisation * np.eye(features.shape[1])
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    weights = np.zeros(features.shape[1])
    for _ in range(50):
        chance = 1.0 / (1.0 + np.exp(-features @ weights))
        gradient = features.T @ (chance - target) + penalty @ weights
        hessian = (features * (chance * (1.0 - chance))[:, None]).T @ features + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights.astype(np.float32)
