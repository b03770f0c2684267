"""Near-duplicate articles: the same wire copy published by several outlets.

Bottom-k MinHash over word 5-shingles: each article keeps the k smallest
hashes of its shingles (its sketch); two sketches estimate the Jaccard
similarity of the two texts. The few smallest hashes double as lookup keys,
so finding candidates is an index lookup, not a comparison with every article.
"""

from __future__ import annotations

import hashlib
import re

from briefing.analyze.arabic import fold

SHINGLE = 5  # words
SKETCH = 64  # hashes kept per article
KEYS = 8  # smallest hashes used as lookup keys
THRESHOLD = 0.8  # estimated Jaccard at or above which two texts are one article
MIN_WORDS = 40  # shorter texts (summaries) say too little to call them copies
# A copy shows in its opening pages; shingling the whole of a 9 MB page took 4 s.
MAX_CHARS = 100_000


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text).casefold())


def sketch(text: str) -> list[int]:
    """The SKETCH smallest 63-bit hashes of the text's word shingles, ascending; [] for short texts."""
    tokens = words(text[:MAX_CHARS])
    if len(tokens) < MIN_WORDS:
        return []
    hashes = {
        int.from_bytes(
            hashlib.blake2b(" ".join(tokens[i : i + SHINGLE]).encode(), digest_size=8).digest()
        )
        >> 1
        for i in range(len(tokens) - SHINGLE + 1)
    }
    return sorted(hashes)[:SKETCH]


def keys(signature: list[int]) -> list[int]:
    return signature[:KEYS]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two texts from their sketches.

    >>> s = sketch("word " * 10 + " ".join(str(i) for i in range(100)))
    >>> similarity(s, s)
    1.0
    """
    if not a or not b:
        return 0.0
    k = min(len(a), len(b))
    union_bottom = sorted(set(a) | set(b))[:k]
    shared = set(a) & set(b)
    return sum(1 for h in union_bottom if h in shared) / k
