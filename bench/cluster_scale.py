"""Story clustering at scale (issue #5): 10,000 synthetic articles, embedding included.

Builds a store from a local feed of N synthetic Arabic and English articles
in about N/70 events (pages off: the feed carries the text), then prints:
  1. the wall time and peak memory of embedding + clustering all of them,
  2. the wall time of a whole build after 100 new articles arrive.
Targets: (1) under 5 minutes and 2 GB on 2 cores; (2) under 15 s.

    python bench/cluster_scale.py [--articles 10000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from briefing import config, pipeline
from briefing.progress import Progress

EN = [
    "minister",
    "troops",
    "border",
    "talks",
    "ceasefire",
    "election",
    "parliament",
    "bank",
    "rates",
    "oil",
    "prices",
    "port",
    "strike",
    "flood",
    "earthquake",
    "vaccine",
    "hospital",
    "court",
    "ruling",
    "protest",
    "refugees",
    "camp",
    "aid",
    "convoy",
    "drone",
    "missile",
    "navy",
    "airport",
    "passengers",
    "investment",
    "forum",
    "contract",
    "plant",
    "water",
    "energy",
    "solar",
    "wheat",
    "exports",
    "inflation",
    "currency",
    "summit",
    "delegation",
    "embassy",
    "envoy",
    "sanctions",
    "tanker",
    "shipping",
    "canal",
    "railway",
    "bridge",
    "storm",
    "rescue",
    "wildfire",
    "school",
]
AR = [
    "وزير",
    "قوات",
    "حدود",
    "محادثات",
    "هدنة",
    "انتخابات",
    "برلمان",
    "بنك",
    "فائدة",
    "نفط",
    "أسعار",
    "ميناء",
    "إضراب",
    "فيضان",
    "زلزال",
    "لقاح",
    "مستشفى",
    "محكمة",
    "حكم",
    "احتجاج",
    "لاجئين",
    "مخيم",
    "مساعدات",
    "قافلة",
    "مسيرة",
    "صاروخ",
    "بحرية",
    "مطار",
    "مسافرين",
    "استثمار",
    "منتدى",
    "عقد",
    "محطة",
    "مياه",
    "طاقة",
    "شمسية",
    "قمح",
    "صادرات",
    "تضخم",
    "عملة",
    "قمة",
    "وفد",
    "سفارة",
    "مبعوث",
    "عقوبات",
    "ناقلة",
    "شحن",
    "قناة",
    "سكك",
    "جسر",
    "عاصفة",
    "إنقاذ",
    "حريق",
    "مدرسة",
]
PLACES = [
    "Beirut",
    "Basra",
    "Cairo",
    "Amman",
    "Riyadh",
    "Doha",
    "Tunis",
    "Rabat",
    "Khartoum",
    "Aden",
    "Gaza",
    "Erbil",
    "Muscat",
    "Kuwait",
    "Algiers",
    "Tripoli",
    "Damascus",
    "Sanaa",
    "Jeddah",
    "Dubai",
    "Mosul",
    "Aleppo",
    "Homs",
    "Latakia",
    "Tyre",
    "Sidon",
    "Zarqa",
    "Irbid",
    "Luxor",
    "Aswan",
]
PLACES_AR = [
    "بيروت",
    "البصرة",
    "القاهرة",
    "عمان",
    "الرياض",
    "الدوحة",
    "تونس",
    "الرباط",
    "الخرطوم",
    "عدن",
    "غزة",
    "أربيل",
    "مسقط",
    "الكويت",
    "الجزائر",
    "طرابلس",
    "دمشق",
    "صنعاء",
    "جدة",
    "دبي",
    "الموصل",
    "حلب",
    "حمص",
    "اللاذقية",
    "صور",
    "صيدا",
    "الزرقاء",
    "إربد",
    "الأقصر",
    "أسوان",
]


def synthetic_feed(path: Path, first: int, count: int, start: datetime, seed: int) -> None:
    rng = random.Random(seed)
    items = []
    for n in range(first, first + count):
        event = n // 70
        erng = random.Random(event)
        place = erng.randrange(len(PLACES))
        words_en = erng.sample(EN, 6)
        words_ar = [AR[EN.index(w)] for w in words_en]
        lang = "ar" if rng.random() < 0.5 else "en"
        words, town = (words_ar, PLACES_AR[place]) if lang == "ar" else (words_en, PLACES[place])
        figure = erng.randrange(100, 50000)
        title = f"{town}: {' '.join(rng.sample(words, 4))}"
        body = " ".join(
            f"{' '.join(rng.sample(words, 5))} {town} {figure} {' '.join(rng.choices(AR if lang == 'ar' else EN, k=8))}."
            for _ in range(6)
        )
        when = start + timedelta(minutes=(n * 37) % (3 * 24 * 60))
        items.append(
            f"<item><title>{escape(title)}</title><link>https://example.org/{n}</link><guid>s{n}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(body)}</description>"
            f"<category>{lang}</category></item>"
        )
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Synthetic</title>'
        f"<link>https://example.org/</link>{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    start = datetime(2024, 10, 20, tzinfo=UTC)
    day = (start + timedelta(days=4)).date()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        synthetic_feed(folder / "a.xml", 0, args.articles, start, seed=1)
        (folder / "b.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>B</title></channel></rss>'
        )
        (folder / "config.yaml").write_text(
            "feeds:\n  - {name: Wire A, url: a.xml}\n  - {name: Wire B, url: b.xml}\n"
            "fetch: {fetch_pages: false, max_bytes: 100000000}\nwindow: 7d\n"
        )
        cfg = config.load(folder / "config.yaml", environ={})
        progress = Progress(quiet=True)
        started = time.perf_counter()
        pipeline.build(cfg, day, cfg.window, formats=("json",), progress=progress)
        cold = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stages = dict(progress.timings)
        print(
            f"{args.articles} synthetic articles, {args.articles // 70 + 1} events, Arabic and English"
        )
        print(
            f"cold build: {cold:.1f} s  (embed {stages.get('embed', 0):.1f} s, cluster "
            f"{stages.get('cluster', 0):.1f} s, analyse {stages.get('analyse', 0):.1f} s)  peak RSS {peak_mb:.0f} MB"
        )
        print(
            f"  embedding + clustering: {stages.get('embed', 0) + stages.get('cluster', 0):.1f} s "
            f"(target < 300 s, < 2048 MB)"
        )
        synthetic_feed(folder / "b.xml", args.articles, 100, start + timedelta(days=3), seed=2)
        progress = Progress(quiet=True)
        started = time.perf_counter()
        pipeline.build(cfg, day, cfg.window, progress=progress)
        incremental = time.perf_counter() - started
        detail = ", ".join(f"{k} {v:.1f}s" for k, v in progress.timings.items())
        print(
            f"build after 100 new articles (PDF, HTML, JSON): {incremental:.1f} s  ({detail})  target < 15 s"
        )
        ok = (
            stages.get("embed", 0) + stages.get("cluster", 0) < 300
            and peak_mb < 2048
            and incremental < 15
        )
        print("targets met" if ok else "TARGETS MISSED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
