"""A synthetic bilingual edition of N stories, for render tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Article, Edition, FeedHealth, Figure, KeyFigure, KeyQuote, Quote, Story

AR_TITLE = "وزير الخارجية يبحث مع نظيره الأردني في عمّان سبل وقف إطلاق النار في غزة رقم {n}"
EN_TITLE = "Foreign ministers meet in Amman on Gaza ceasefire, story {n}"
AR_LEAD = (
    "قال وزير الخارجية أيمن الصفدي، الأربعاء، إن المحادثات التي جرت في عمّان بحضور 12 وفداً "
    "تناولت إدخال 500 شاحنة مساعدات يومياً إلى القطاع، وإن الجولة المقبلة ستعقد في 3 نوفمبر."
)
EN_LEAD = (
    "Foreign ministers from 12 countries met in Amman on Wednesday to discuss getting 500 aid trucks a day "
    "into Gaza, Jordan's foreign minister said, with another round due on November 3."
)


def sample_edition(stories: int = 40) -> Edition:
    when = datetime(2024, 10, 23, 12, tzinfo=UTC)
    out = []
    for n in range(1, stories + 1):
        ar = Article(
            id=2 * n,
            url=f"https://example.org/ar/{n}",
            title=AR_TITLE.format(n=n),
            outlet="الشرق الأوسط",
            lang="ar",
            text=AR_LEAD,
            published=when - timedelta(minutes=n),
            first_seen=when,
        )
        en = Article(
            id=2 * n + 1,
            url=f"https://example.org/en/{n}",
            title=EN_TITLE.format(n=n),
            outlet="CNN",
            lang="en",
            text=EN_LEAD,
            published=when - timedelta(minutes=n),
            first_seen=when,
        )
        quote_ar = Quote(
            "المحادثات بناءة لكن الطريق ما زال طويلاً", "أيمن الصفدي", role="وزير الخارجية"
        )
        quote_en = Quote(
            "The talks were constructive, but the road is still long",
            "Ayman Safadi",
            role="Foreign Minister",
        )
        out.append(
            Story(
                id=f"s{n:04d}",
                rank=n,
                articles=(ar, en),
                headline={"ar": ar.title, "en": en.title},
                summary={"ar": AR_LEAD, "en": EN_LEAD},
                quotes=(KeyQuote(quote_en, en, versions=((quote_ar, ar),)),),
                figures=(
                    KeyFigure(Figure(500, "trucks", "500 aid trucks"), en, "truck", sources=(ar,)),
                    KeyFigure(Figure(12, "وفداً", "12 وفداً"), ar, "وفد"),
                ),
                developing=n % 3 == 0,
            )
        )
    return Edition(
        date="2024-10-24",
        generated_at=when,
        window_start=when - timedelta(hours=24),
        window_end=when,
        timezone="Asia/Riyadh",
        stories=tuple(out),
        feeds=(
            FeedHealth(
                url="https://example.org/broken.xml",
                name="Broken Feed",
                status="error",
                error="HTTP 503 Service Unavailable",
            ),
        ),
    )
