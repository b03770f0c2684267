import threading
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from briefing.stories import embed

_EN = [
    "The port handled {n} containers in a week as the strike ended.",
    "Rescue teams searched the flooded valley for a {n}th day.",
    "The council voted {n} to 3 to approve the new budget for schools.",
    "A long report on the harbour: {words}",
]
_AR = [
    "أعلن الوزير أن الميناء استقبل {n} حاوية خلال أسبوع.",
    "واصلت فرق الإنقاذ البحث في الوادي لليوم {n} على التوالي.",
    "صوت المجلس بأغلبية {n} صوتا على الميزانية الجديدة للمدارس.",
]


def _texts(count):
    """Short and long texts in both languages, each different from the others."""
    out = []
    for i in range(count):
        shapes = _EN if i % 2 else _AR
        shape = shapes[i % len(shapes)]
        out.append(shape.format(n=i + 2, words=" ".join(["the ships waited offshore"] * (i % 9))))
    return out


def _blas_threads():
    return sorted(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


def test_texts_embedded_on_several_threads_keep_their_order_and_their_vectors():
    texts = _texts(embed.PARALLEL_FROM + 7)
    threads_before = _blas_threads()
    shared = embed.UniversalSentenceEncoder(threads=2).embed(texts)
    alone = embed.UniversalSentenceEncoder(threads=1).embed(texts)
    assert _blas_threads() == threads_before  # the one-thread BLAS limit is lifted after
    assert shared.shape == (len(texts), 512)
    np.testing.assert_allclose(shared, alone, atol=1e-5)
    one_by_one = embed.UniversalSentenceEncoder(threads=2)
    for i in (0, 1, len(texts) - 1):  # each row is its own text's, not a neighbour's
        np.testing.assert_allclose(shared[i], one_by_one.embed([texts[i]])[0], atol=1e-5)
    assert np.allclose(np.linalg.norm(shared, axis=1), 1.0, atol=1e-5)
    # the texts are different, so no two rows are the same vector
    similarity = shared @ shared.T
    assert (similarity[~np.eye(len(texts), dtype=bool)] < 0.9999).all()


def test_two_builds_embedding_at_once_leave_the_blas_as_they_found_it():
    # The scheduler's thread pool can run two editions' builds at once in one
    # process; both share one encoder (pipeline._embedder). The short one starts
    # first and ends first: without a lock, it would give the BLAS its threads
    # back while the long one runs, and the long one would then leave it at one.
    encoder = embed.UniversalSentenceEncoder(threads=2)
    encoder.embed(["the model is loaded before the race"])
    short = [text * 20 for text in _texts(embed.PARALLEL_FROM)]  # about 0.3 s of work
    long = short * 2
    threads_before = _blas_threads()
    if threads_before in ([], [1]):
        pytest.skip("a BLAS of one thread (or none threadpoolctl finds): no limit to restore")
    start = threading.Barrier(2)
    got = {}

    def build(texts, after):
        start.wait()
        time.sleep(after)
        got[len(texts)] = encoder.embed(texts)

    runs = [threading.Thread(target=build, args=a) for a in ((short, 0.0), (long, 0.05))]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert _blas_threads() == threads_before
    np.testing.assert_allclose(got[len(short)], encoder.embed(short), atol=1e-6)
    np.testing.assert_allclose(got[len(long)], encoder.embed(long), atol=1e-6)
