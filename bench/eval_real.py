"""Accuracy on real news: the realnews development set, scored as an outsider scores it.

Runs `../shared/realnews/tools/evaluate.py` against this checkout's
`briefing` (a real `briefing build` over a news web served on 127.0.0.1, and
`briefing analyze URL --json` on every annotated article) and prints, in one
block: story clustering (B-cubed, Arabic-English pairs, near misses merged),
quotes and figures per language, and a split check of the clustering
settings (tuned on half the events, reported on the other half).

    python bench/eval_real.py            # print the figures
    python bench/eval_real.py --check    # and fail below the floors in bench/eval_baseline.json
    python bench/eval_real.py --every-split   # and the split check over every balanced split

The floors are what the project reached; a change that loses accuracy fails
CI (as trafilatura pins its evaluation). Raise them when accuracy rises. The
set's texts are other people's writing: they are read from ../shared, never
copied here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT.parent / "shared" / "realnews"
BASELINE = Path(__file__).with_name("eval_baseline.json")
# Events split in two halves for the split check; each near-miss pair stays in one half.
GRID_SAME = (0.35, 0.40, 0.45, 0.50)
GRID_CROSS = (0.40, 0.45, 0.50, 0.55, 0.60)
GRID_DECAY = (0.04, 0.06, 0.08)
GRID_ENTITY = (0.08, 0.12, 0.16)
GRID_AXES = (GRID_SAME, GRID_CROSS, GRID_DECAY, GRID_ENTITY)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail below the pinned floors")
    parser.add_argument("--report", help="keep evaluate.py's JSON report at this path")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="score the --report already there: rerun neither the build nor the speed benchmark",
    )
    parser.add_argument(
        "--every-split",
        action="store_true",
        help="also tune on every balanced half of the events and score the other (~3 min)",
    )
    args = parser.parse_args()
    if not (REALNEWS / "tools" / "evaluate.py").is_file():
        print(f"eval_real: {REALNEWS} not found (the dev set lives beside the repository)")
        return 2 if args.check else 0
    if args.reuse and args.report:
        report = json.loads(Path(args.report).read_text())
    else:
        report = run_evaluation(Path(args.report) if args.report else None)
    figures = measures(report)
    figures.update(split_check(report, every=args.every_split))
    figures["near_miss_detail"] = near_miss_detail(report)
    # Reusing a report is for iterating on the scoring: the ~10 s speed run is left out.
    figures["analyse_seconds"] = None if args.reuse and args.report else analyse_speed()
    print_block(figures)
    if args.check:
        return check(figures)
    return 0


def run_evaluation(keep: Path | None) -> dict:
    out = keep or Path(tempfile.mkdtemp(prefix="eval-real-")) / "report.json"
    # The console script of this environment: evaluate.py resolves symlinks, so a
    # virtualenv's python would turn into the base interpreter without the package.
    script = Path(sys.executable).with_name("briefing")
    command = str(script) if script.is_file() else f"{sys.executable} -m briefing"
    subprocess.run(
        [
            sys.executable,
            str(REALNEWS / "tools" / "evaluate.py"),
            "--cmd",
            command,
            "--out",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    report = json.loads(out.read_text())
    if report["build"].get("rc") != 0 or "clustering" not in report:
        raise SystemExit(f"eval_real: briefing build failed: {report['build'].get('stderr_tail')}")
    return report


def measures(report: dict) -> dict[str, float]:
    """The figures the issues name, flat: {name: value}."""
    clustering = report["clustering"]
    pairs, near = clustering["crosslingual"], clustering["near_miss"]
    out = {
        "build_rc": report["build"]["rc"],
        "stories_f1": clustering["f1"],
        "stories_precision": clustering["precision"],
        "stories_recall": clustering["recall"],
        "ar_en_pair_recall": pairs["pair_recall"],
        "ar_en_pair_precision": pairs["pair_precision"],
        "near_miss_merged": near["merged"],
        "near_miss_pairs": near["near_miss_pairs"],
        "stories": clustering["stories"],
        "events": clustering["gold_events"],
    }
    for lang in ("ar", "en"):
        quotes, figures = report["analyze"][lang]["quotes"], report["analyze"][lang]["figures"]
        out[f"{lang}_quotes_precision"] = quotes["precision"]
        out[f"{lang}_quotes_recall"] = quotes["recall"]
        out[f"{lang}_speaker"] = quotes["speaker_acc"] or 0.0
        out[f"{lang}_figures_precision"] = figures["precision"]
        out[f"{lang}_figures_recall"] = figures["recall"]
        out[f"{lang}_figure_unit"] = figures["unit_acc"] or 0.0
    return out


def near_miss_detail(report: dict) -> list[str]:
    """Each story holding both events of a near-miss pair, and the articles of its smaller side.

    What the merged count alone hides: whether one stray article or a whole
    event's coverage glues the pair.
    """
    gold, events = _gold()
    pairs = [(e, v["near_miss_of"]) for e, v in sorted(events.items()) if v.get("near_miss_of")]
    lines = []
    for edition in sorted((Path(report["work"]) / "output").glob("*/briefing.json")):
        for story in json.loads(edition.read_text(encoding="utf-8")).get("stories", []):
            members: dict[str, list[str]] = {}
            for article in story.get("articles", []):
                name = _article_name(article.get("url", ""))
                if name in gold:
                    members.setdefault(gold[name], []).append(name)
            for first, second in pairs:
                if first in members and second in members:
                    small, large = sorted((first, second), key=lambda e: len(members[e]))
                    lines.append(
                        f"story {story['id']}: {len(members[large])} of {large} with"
                        f" {len(members[small])} of {small} ({', '.join(sorted(members[small]))})"
                    )
    return lines


def split_check(report: dict, every: bool = False) -> dict:
    """Tune the clustering settings on half the events, score them on the other half, both ways.

    Clustering reads exactly what the build stored (vectors, analyses, times),
    from the evaluation's own store. `every` also runs every balanced split of
    the events (near-miss pairs kept together), both ways, on every core.
    """
    sys.path.insert(0, str(REALNEWS / "tools"))  # evaluate.py's score module, for _half_scores
    from briefing.store import Store
    from briefing.stories import cluster, embed

    gold, events = _gold()
    key = embed.vector_key(embed.embedder_for(cluster_embedder()))
    with Store(Path(report["work"]) / "data" / "briefing.sqlite3") as store:
        articles = store.articles_between(datetime(1970, 1, 1, tzinfo=UTC), datetime.now(UTC))
        vectors = store.vectors((a.id for a in articles), key)
        analyses = store.analyses(a.id for a in articles)
    _POOL["event_of"] = {a.id: gold[_article_name(a.url)] for a in articles}
    _POOL["items"] = [cluster.item_for(a, vectors[a.id], analyses.get(a.id)) for a in articles]
    halves = _halves(events)
    tables: dict[frozenset, dict] = {}

    def table(half) -> dict:
        """F1 on the half at every point of the grid."""
        half = frozenset(half)
        if half not in tables:
            tables[half] = dict(zip(GRID, _half_scores(half), strict=True))
        return tables[half]

    out: dict = {}
    for name, (tune, test) in (("a", (halves[0], halves[1])), ("b", (halves[1], halves[0]))):
        best = _tuned(table(tune))
        tuned = _params(best)
        out[f"split_{name}_tuned_f1"] = table(tune)[best]
        out[f"split_{name}_heldout_f1"] = table(test)[best]
        out[f"split_{name}_heldout_best_f1"] = max(table(test).values())
        out[f"split_{name}_params"] = (
            f"{tuned.same_language:.2f}/{tuned.cross_language:.2f}/"
            f"{tuned.decay_per_day:.2f}/{tuned.entity_bonus:.2f}"
        )
    out["split_gap"] = max(
        out[f"split_{n}_tuned_f1"] - out[f"split_{n}_heldout_f1"] for n in ("a", "b")
    )
    if every:
        every_half = _balanced_halves(events)
        todo = [h for h in every_half if h not in tables]
        print(f"eval_real: {len(every_half)} halves x {len(GRID)} settings…", file=sys.stderr)
        with ProcessPoolExecutor(mp_context=multiprocessing.get_context("fork")) as pool:
            for half, scores in zip(todo, pool.map(_half_scores, todo, chunksize=4), strict=True):
                tables[half] = dict(zip(GRID, scores, strict=True))
        everything = frozenset(events)
        held, gaps = [], []
        for half in every_half:
            best = _tuned(tables[half])
            held.append(table(everything - half)[best])
            gaps.append(tables[half][best] - held[-1])
        out["splits_every"] = len(every_half)
        out["splits_heldout_mean_f1"] = sum(held) / len(held)
        out["splits_heldout_worst_f1"] = min(held)
        out["splits_within_003"] = sum(g <= 0.03 for g in gaps)
    return out


# What the split check's worker processes read (inherited on fork): the stored items.
_POOL: dict = {}
GRID = list(itertools.product(*[range(len(axis)) for axis in GRID_AXES]))


def _params(point):
    from briefing.stories import cluster

    s, c, d, e = (axis[i] for axis, i in zip(GRID_AXES, point, strict=True))
    return replace(
        cluster.DEFAULT, same_language=s, cross_language=c, decay_per_day=d, entity_bonus=e
    )


def _half_scores(half: frozenset) -> list[float]:
    """B-cubed F1 of the clustering of the half's articles at each point of GRID."""
    import score

    from briefing.stories import cluster

    event_of = _POOL["event_of"]
    chosen = [i for i in _POOL["items"] if event_of[i.id] in half]
    truth = {str(i.id): event_of[i.id] for i in chosen}
    scores = []
    for point in GRID:
        assigned = cluster.assign(chosen, _params(point))
        scores.append(score.bcubed({str(k): v for k, v in assigned.items()}, truth)["f1"])
    return scores


def _tuned(scores: dict) -> tuple:
    """The best point; of equal ones, the one on a plateau (mean F1 of its neighbourhood)."""

    def smoothed(point) -> float:
        near = [
            scores[other]
            for other in GRID
            if all(abs(a - b) <= 1 for a, b in zip(point, other, strict=True))
        ]
        return sum(near) / len(near)

    return max(GRID, key=lambda point: (scores[point], smoothed(point)))


def analyse_speed() -> float:
    """CPU seconds to analyse 1,000 articles of about 600 words (bench/eval_analyze.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import eval_analyze

    return eval_analyze.speed()


def cluster_embedder() -> str:
    from briefing.config import StoriesConfig

    return StoriesConfig().embedder


def _gold() -> tuple[dict[str, str], dict]:
    """The dev set's event of each article id, and its events (events.json)."""
    lines = (REALNEWS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    gold = {a["id"]: a["event"] for a in map(json.loads, filter(None, lines))}
    return gold, json.loads((REALNEWS / "events.json").read_text(encoding="utf-8"))


def _article_name(url: str) -> str:
    """The dev-set article id a page of the served news web stands for (…/b-11.html: b-11)."""
    return url.rsplit("/", 1)[-1].removesuffix(".html")


def _near_miss_units(events: dict) -> list[list[str]]:
    """The events grouped so that each near-miss pair (or chain of them) is one group, sorted."""
    units: list[set[str]] = []
    for event, value in sorted(events.items()):
        twin = value.get("near_miss_of")
        unit = {event, twin} if twin else {event}
        joined = [u for u in units if u & unit]
        units = [u for u in units if not u & unit] + [unit.union(*joined)]
    return sorted(sorted(u) for u in units)


def _halves(events: dict) -> tuple[set[str], set[str]]:
    """Two halves of the events, alternating, a near-miss pair never split between them."""
    units = sorted(_near_miss_units(events), key=lambda u: (-len(u), u))
    first: set[str] = set()
    second: set[str] = set()
    for unit in units:
        (first if len(first) <= len(second) else second).update(unit)
    return first, second


def _balanced_halves(events: dict) -> list[frozenset]:
    """Every half of the events (half their number) that keeps each near-miss pair together."""
    units = _near_miss_units(events)
    size = len(events) // 2
    return [
        frozenset().union(*chosen)
        for count in range(1, len(units) + 1)
        for chosen in itertools.combinations(units, count)
        if sum(len(u) for u in chosen) == size
    ]


def print_block(f: dict) -> None:
    print("real news dev set (../shared/realnews): `briefing build` and `briefing analyze`")
    print(
        f"  stories   B-cubed F1 {f['stories_f1']:.3f} (P {f['stories_precision']:.3f} / "
        f"R {f['stories_recall']:.3f}); AR-EN pairs R {f['ar_en_pair_recall']:.3f} "
        f"P {f['ar_en_pair_precision']:.3f}; near misses merged {f['near_miss_merged']} of "
        f"{f['near_miss_pairs']}; {f['stories']} stories for {f['events']} events"
    )
    for line in f.get("near_miss_detail", []):
        print(f"  near miss {line}")
    for lang in ("ar", "en"):
        print(
            f"  {lang} quotes P {f[f'{lang}_quotes_precision']:.3f} R {f[f'{lang}_quotes_recall']:.3f}"
            f" speaker {f[f'{lang}_speaker']:.3f} | figures P {f[f'{lang}_figures_precision']:.3f}"
            f" R {f[f'{lang}_figures_recall']:.3f} unit {f[f'{lang}_figure_unit']:.3f}"
        )
    for name, tuned_on, other in (("a", "A", "B"), ("b", "B", "A")):
        print(
            f"  split     tuned on half {tuned_on} ({f[f'split_{name}_params']}"
            f" same/cross/decay/entity): F1 {f[f'split_{name}_tuned_f1']:.3f} there,"
            f" {f[f'split_{name}_heldout_f1']:.3f} on half {other}"
            f" (its own best {f[f'split_{name}_heldout_best_f1']:.3f})"
        )
    print(f"  split gap {f['split_gap']:.3f} (tuned half minus held-out half, worst way)")
    if "splits_every" in f:
        print(
            f"  splits    every balanced split, both ways ({f['splits_every']}): held-out F1 mean"
            f" {f['splits_heldout_mean_f1']:.3f}, worst {f['splits_heldout_worst_f1']:.3f};"
            f" gap within 0.03 in {f['splits_within_003']}"
        )
    if f["analyse_seconds"] is None:
        print("  speed     not measured (--reuse)")
    else:
        print(
            f"  speed     1,000 articles of ~600 words analysed in {f['analyse_seconds']:.2f} s CPU"
            " (target < 10 s)"
        )


def check(figures: dict) -> int:
    floors = json.loads(BASELINE.read_text())
    if figures["build_rc"] != 0:
        print("eval_real: briefing build failed")
        return 1
    failed = []
    for name, floor in floors["at_least"].items():
        if figures[name] < floor:
            failed.append(f"{name} {figures[name]} < {floor}")
    for name, ceiling in floors["at_most"].items():
        if figures[name] > ceiling:
            failed.append(f"{name} {figures[name]} > {ceiling}")
    for line in failed:
        print(f"eval_real: below the pinned floor: {line}")
    if not failed:
        print(f"eval_real: every figure at or above its floor ({BASELINE.name})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
