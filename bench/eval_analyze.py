"""Quotes and figures against the gold set (issue #4), and the analysers' speed.

Prints per language: precision and recall of quotes (matched on their words)
with the share whose speaker is right, and of figures (matched on value)
with the share whose unit is right; the recall of the reference article's
required items; and the time to analyse 1,000 articles of 600 words on one core.
Targets: quotes P >= 0.95, R >= 0.90, speaker >= 0.90; figures P >= 0.90,
R >= 0.90, unit >= 0.90; 1,000 articles under 10 s.

    python bench/eval_analyze.py [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml

from briefing import analyze
from briefing.analyze.arabic import fold
from briefing.analyze.figures import concept

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"


def norm(text: str) -> str:
    words = re.findall(r"\w+", fold(text or "").casefold())
    return " ".join(w for w in words if w not in {"the", "a", "an"})


def same_words(found: str, gold: str) -> bool:
    a, b = norm(found).split(), norm(gold).split()
    if not a or not b:
        return False
    overlap = len(set(a) & set(b))
    return overlap / max(len(set(a)), len(set(b))) >= 0.6


def speaker_right(found: str | None, alternatives: list | None) -> bool:
    if not alternatives:
        return found is None
    return norm(found or "") in {norm(alt) for alt in alternatives}


def unit_right(found: str, alternatives: list) -> bool:
    return any(norm(found) == norm(alt) or concept(found) == concept(alt) for alt in alternatives)


def evaluate(paragraphs: list[dict], lang: str, verbose: bool) -> dict:
    counts = dict.fromkeys(
        ("q_found", "q_gold", "q_hit", "q_speaker", "f_found", "f_gold", "f_hit", "f_unit"), 0
    )
    for para in paragraphs:
        result = analyze.analyse(para["text"], lang)
        gold_quotes = list(para.get("quotes") or [])
        counts["q_found"] += len(result.quotes)
        counts["q_gold"] += len(gold_quotes)
        for quote in result.quotes:
            match = next((g for g in gold_quotes if same_words(quote.text, g["text"])), None)
            if match is None:
                if verbose:
                    print(
                        f"  {para['id']} extra quote: {quote.speaker!r}: {quote.text!r} direct={quote.direct}"
                    )
                continue
            gold_quotes.remove(match)
            counts["q_hit"] += 1
            if speaker_right(quote.speaker, match["speaker"]):
                counts["q_speaker"] += 1
            elif verbose:
                print(f"  {para['id']} speaker {quote.speaker!r}, gold {match['speaker']}")
        if verbose:
            for missed in gold_quotes:
                print(f"  {para['id']} missed quote: {missed['speaker']}: {missed['text']!r}")
        gold_figures = list(para.get("figures") or [])
        counts["f_found"] += len(result.figures)
        counts["f_gold"] += len(gold_figures)
        for figure in result.figures:
            match = next(
                (
                    g
                    for g in gold_figures
                    if abs(g["value"] - figure.value) <= 1e-6 * max(1, g["value"])
                ),
                None,
            )
            if match is None:
                if verbose:
                    print(
                        f"  {para['id']} extra figure: {figure.value} {figure.unit!r} ({figure.text!r})"
                    )
                continue
            gold_figures.remove(match)
            counts["f_hit"] += 1
            if unit_right(figure.unit, match["unit"]):
                counts["f_unit"] += 1
            elif verbose:
                print(f"  {para['id']} unit {figure.unit!r}, gold {match['unit']}")
        if verbose:
            for missed in gold_figures:
                print(f"  {para['id']} missed figure: {missed['value']} {missed['unit']}")
    c = counts
    return {
        "quotes_p": c["q_hit"] / c["q_found"] if c["q_found"] else 1.0,
        "quotes_r": c["q_hit"] / c["q_gold"] if c["q_gold"] else 1.0,
        "speaker": c["q_speaker"] / c["q_hit"] if c["q_hit"] else 1.0,
        "figures_p": c["f_hit"] / c["f_found"] if c["f_found"] else 1.0,
        "figures_r": c["f_hit"] / c["f_gold"] if c["f_gold"] else 1.0,
        "unit": c["f_unit"] / c["f_hit"] if c["f_hit"] else 1.0,
        **counts,
    }


def reference_recall(verbose: bool) -> tuple[int, int]:
    [spec] = yaml.safe_load((GOLD / "reference.yaml").read_text(encoding="utf-8"))
    text = (ROOT / "tests" / "fixtures" / spec["file"]).read_text(encoding="utf-8")
    result = analyze.analyse(text, "ar")
    found = hit = 0
    quotes = list(result.quotes)
    for gold in spec["quotes"]:
        found += 1
        match = next(
            (
                q
                for q in quotes
                if same_words(q.text, gold["text"]) and speaker_right(q.speaker, gold["speaker"])
            ),
            None,
        )
        if match:
            hit += 1
            quotes.remove(match)
        elif verbose:
            print(f"  reference missed quote: {gold['speaker']}: {gold['text'][:50]!r}")
    figures = list(result.figures)
    for gold in spec["figures"]:
        found += 1
        match = next(
            (
                f
                for f in figures
                if f.value == gold["value"]
                and unit_right(f.unit, gold["unit"])
                and f.approx == gold["approx"]
            ),
            None,
        )
        if match:
            hit += 1
            figures.remove(match)
        elif verbose:
            print(f"  reference missed figure: {gold}")
    return hit, found


def speed() -> float:
    paragraphs = [
        p["text"]
        for lang in ("ar", "en")
        for p in yaml.safe_load((GOLD / f"{lang}.yaml").read_text("utf-8"))
    ]
    articles = []
    for n in range(1000):
        words, chunk = 0, []
        while words < 600:
            text = paragraphs[(n * 7 + len(chunk)) % len(paragraphs)]
            chunk.append(text)
            words += len(text.split())
        articles.append(("\n".join(chunk), "ar" if n % 2 else "en"))
    started = time.process_time()
    for text, lang in articles:
        analyze.analyse(text, lang)
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    ok = True
    for lang in ("ar", "en"):
        paragraphs = yaml.safe_load((GOLD / f"{lang}.yaml").read_text(encoding="utf-8"))
        if args.verbose:
            print(f"[{lang}]")
        r = evaluate(paragraphs, lang, args.verbose)
        print(f"{lang}: {len(paragraphs)} paragraphs, {r['q_gold']} quotes, {r['f_gold']} figures")
        print(
            f"  quotes  precision {r['quotes_p']:.3f}  recall {r['quotes_r']:.3f}  speaker right {r['speaker']:.3f}"
        )
        print(
            f"  figures precision {r['figures_p']:.3f}  recall {r['figures_r']:.3f}  unit right {r['unit']:.3f}"
        )
        ok &= r["quotes_p"] >= 0.95 and r["quotes_r"] >= 0.90 and r["speaker"] >= 0.90
        ok &= r["figures_p"] >= 0.90 and r["figures_r"] >= 0.90 and r["unit"] >= 0.90
    hit, total = reference_recall(args.verbose)
    print(
        f"reference article: {hit}/{total} required quotes and figures found (speaker and unit right)"
    )
    seconds = speed()
    print(
        f"speed: 1,000 articles of ~600 words analysed in {seconds:.2f} s CPU on one core (target < 10 s)"
    )
    ok &= seconds < 10
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
