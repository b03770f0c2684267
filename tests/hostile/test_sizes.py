"""Sizes: a huge page or text is cut, never keeps the pipeline busy for minutes."""

import json

from briefing import analyze
from tests.conftest import run_cli

SENTENCE = (
    'The harbour master said: "Ships will wait outside the port until the storm passes." '
    "About 1,200 containers were unloaded on Tuesday.\n"
)


def test_analyze_on_a_20_mb_text_reads_its_first_part_and_says_so(tmp_path):
    source = tmp_path / "huge.txt"
    source.write_text(SENTENCE * (20_000_000 // len(SENTENCE)), encoding="utf-8")
    result = run_cli("analyze", str(source), "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "only the first 100,000 analysed" in result.stderr
    found = json.loads(result.stdout)
    assert len(found["text"]) <= analyze.MAX_CHARS and found["text"].endswith("Tuesday.")
    assert found["quotes"] and found["figures"]
