"""The gold set as a regression test: the analysers must keep the issue's quality bar on it."""

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import eval_analyze  # noqa: E402


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_quotes_and_figures_meet_the_bar_on_the_gold_set(lang):
    paragraphs = yaml.safe_load((eval_analyze.GOLD / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert len(paragraphs) >= 40
    result = eval_analyze.evaluate(paragraphs, lang, verbose=False)
    assert (
        result["quotes_p"] >= 0.95 and result["quotes_r"] >= 0.90 and result["speaker"] >= 0.90
    ), result
    assert result["figures_p"] >= 0.90 and result["figures_r"] >= 0.90 and result["unit"] >= 0.90, (
        result
    )


def test_the_reference_article_yields_everything_required():
    hit, total = eval_analyze.reference_recall(verbose=False)
    assert hit == total
