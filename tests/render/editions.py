"""Small bilingual editions written for the render tests (our own sentences), and a config to render them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing import config
from briefing.models import Article, Edition, FeedHealth, Figure, KeyFigure, KeyQuote, Quote, Story
from tests.conftest import write_config

# Words without digits: the contents test tells page numbers from text by them.
NAMES = [
    "Harbour",
    "Orchard",
    "Lantern",
    "Meadow",
    "Quarry",
    "Glacier",
    "Canyon",
    "Harvest",
    "Beacon",
    "Citadel",
    "Estuary",
    "Foundry",
]
NAMES_AR = [
    "الميناء",
    "البستان",
    "الفانوس",
    "المرج",
    "المحجر",
    "الجليد",
    "الوادي",
    "الحصاد",
    "المنارة",
    "القلعة",
    "المصب",
    "المسبك",
]
EN_HEADLINE = "{name} council approves a long delayed plan to rebuild the old waterfront district and its bridges"
AR_HEADLINE = "مجلس مدينة {name} يوافق على خطة طال انتظارها لإعادة بناء حي الواجهة البحرية القديم وجسوره الثلاثة"
EN_SUMMARY = (
    "The {name} council voted on Tuesday to rebuild the waterfront district, ending a dispute that "
    "had stalled the work for years. Engineers will start with the bridges, which carry most of the "
    "traffic into the old town, and the council expects the first of them to reopen next spring."
)
AR_SUMMARY = (
    "صوّت مجلس مدينة {name} يوم الثلاثاء على إعادة بناء حي الواجهة البحرية، منهياً خلافاً عطّل "
    "الأعمال سنوات. وسيبدأ المهندسون بالجسور التي تحمل معظم حركة المرور إلى البلدة القديمة، "
    "ويتوقع المجلس أن يعاد فتح أولها في الربيع المقبل."
)
# Each ends with the comma that stood inside the marks in the article.
EN_QUOTE = "The bridges of {name} come first, because the whole district depends on them,"
AR_QUOTE = "جسور {name} أولاً، لأن الحي كله يعتمد عليها،"
AR_SECOND_QUOTE = "سنفتح الجسر الأول قبل الصيف إذا سمح الطقس بذلك"
WHEN = datetime(2024, 10, 23, 12, tzinfo=UTC)


def story(
    n: int, *, rank: int | None = None, story_id: str | None = None, first_seen=None
) -> Story:
    name, name_ar = NAMES[n % len(NAMES)], NAMES_AR[n % len(NAMES_AR)]
    ar = Article(
        id=2 * n,
        url=f"https://example.org/ar/{n}",
        title=AR_HEADLINE.format(name=name_ar),
        outlet="صحيفة المدينة",
        lang="ar",
        text=AR_SUMMARY.format(name=name_ar),
        published=WHEN - timedelta(minutes=n),
        first_seen=WHEN,
    )
    en = Article(
        id=2 * n + 1,
        url=f"https://example.org/en/{n}",
        title=EN_HEADLINE.format(name=name),
        outlet="City Wire",
        lang="en",
        text=EN_SUMMARY.format(name=name),
        published=WHEN - timedelta(minutes=n),
        first_seen=WHEN,
    )
    quote_en = Quote(EN_QUOTE.format(name=name), "Dana Ortiz", role="council chair")
    quote_ar = Quote(AR_QUOTE.format(name=name_ar), "دانة أورتيز", role="رئيسة المجلس")
    return Story(
        id=story_id or f"s{n:04d}",
        rank=rank or n,
        articles=(ar, en),
        headline={"ar": ar.title, "en": en.title},
        summary={"ar": ar.text, "en": en.text},
        quotes=(
            KeyQuote(quote_en, en, versions=((quote_ar, ar),)),
            KeyQuote(Quote(AR_SECOND_QUOTE, "سامي الحداد", role="كبير المهندسين"), ar),
        ),
        figures=(KeyFigure(Figure(3, "bridges", "three bridges"), en, "bridge", sources=(ar,)),),
        first_seen=first_seen or WHEN,
        developing=first_seen is not None,
    )


def edition(stories: list[Story], day: str = "2024-10-24") -> Edition:
    end = datetime.fromisoformat(day + "T03:00:00+00:00")
    return Edition(
        date=day,
        generated_at=end,
        window_start=end - timedelta(hours=24),
        window_end=end,
        timezone="Asia/Riyadh",
        stories=tuple(stories),
        feeds=(FeedHealth(url="https://example.org/feed.xml", name="City Wire", status="ok"),),
    )


def config_in(folder: Path, theme: str = "") -> config.Config:
    """A config whose output_dir is `folder/output` (the theme line is YAML inside `theme:`)."""
    (folder / "feed.xml").write_text("<rss/>")
    text = "feeds:\n  - {name: A, url: feed.xml}\noutput_dir: output\ntimezone: Asia/Riyadh\n"
    if theme:
        text += f"theme: {{{theme}}}\n"
    return config.load(write_config(folder, text), environ={})
