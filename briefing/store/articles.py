"""The store's articles: new entries, the pages waiting and their claims, texts, copies, analyses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, delete, func, or_, select, update

from briefing.claims import holder_alive
from briefing.ingest.urls import canonical
from briefing.models import Analysis, Article, Entity, Entry, Figure, PendingArticle, Quote
from briefing.schema import analyses, articles, embeddings, sketch_keys, sketches
from briefing.store.rows import (
    article_of,
    insert_for,
    pending_of,
    pending_select,
    utc_iso,
    waiting_for_page,
)


class ArticleQueries:
    """Queries on `articles` and what is derived from their text (a part of Store)."""

    def add_entries(
        self, feed_id: int, outlet: str, lang: str | None, entries: Iterable[Entry], now: datetime
    ) -> int:
        """Store the entries not seen before; return how many were new.

        An entry whose canonical link is already stored from another feed is
        kept as a duplicate of it (the outlet is recorded, the page is not
        fetched twice); from the same feed it is the same article, skipped.
        Workers add entries one feed at a time, so two feeds carrying one link
        at once still make one original.
        """
        added = 0
        find, add = _original_by_link(), _add_entry(self.sqlite)
        with self.transaction() as c:
            self.serialise(c, "entries")
            for entry in entries:
                link = canonical(entry.url)
                original = c.execute(find, {"link": link}).first()
                if original is not None and original.feed_id == feed_id:
                    continue
                result = c.execute(
                    add,
                    {
                        "url": entry.url,
                        "entry_key": entry.key,
                        "feed_id": feed_id,
                        "outlet": outlet,
                        "title": entry.title,
                        "summary": entry.summary,
                        "feed_content": entry.content,
                        "declared_lang": lang,
                        "published": utc_iso(entry.published),
                        "first_seen": utc_iso(now),
                        "canonical_url": link,
                        "duplicate_of": original.id if original is not None else None,
                    },
                )
                added += len(result.all())  # rowcount is -1 on PostgreSQL here
        return added

    def articles_to_extract(self) -> list[PendingArticle]:
        """Articles never extracted, and those whose page waits for a later round
        (extract_source 'pending': the feed's text stands in meanwhile)."""
        return [
            pending_of(row)
            for row in self._all(pending_select().where(waiting_for_page()).order_by(articles.c.id))
        ]

    def claim_articles(
        self,
        ids: list[int],
        holder: str,
        now: datetime,
        until: datetime,
        alive: Callable[[str], bool] = holder_alive,
    ) -> list[PendingArticle]:
        """Take the articles of `ids` whose page still waits and that nobody else holds, in that order."""
        rows = self._claim(
            articles, pending_select().where(waiting_for_page()), ids, holder, now, until, alive
        )
        return [pending_of(row) for row in rows]

    def articles_held_elsewhere(self, ids: list[int], holder: str) -> list[int]:
        """Of `ids`, the articles whose page another worker holds now."""
        return self._held_elsewhere(articles, ids, holder, waiting_for_page())

    def release_articles(self, holder: str) -> None:
        """Let go of every article `holder` still holds (its round is over)."""
        with self.transaction() as c:
            c.execute(
                update(articles)
                .where(articles.c.claimed_by == holder)
                .values(claimed_by=None, lease_until=None)
            )

    def save_extraction(
        self,
        article_id: int,
        *,
        text: str,
        lang: str,
        source: str,
        error: str | None,
        when: datetime,
        published: datetime | None = None,
        author: str | None = None,
        image: str | None = None,
    ) -> None:
        """Store an article's text (and let its claim go); what was derived from an earlier
        text (the feed's, standing in for a pending page) is dropped, to be redone from this one."""
        with self.transaction() as c:
            for statement in _drop_derived():
                c.execute(statement, {"article_id": article_id})
            c.execute(
                _save_text(),
                {
                    "article_id": article_id,
                    "new_text": text,
                    "new_lang": lang,
                    "new_source": source,
                    "new_error": error,
                    "new_extracted_at": utc_iso(when),
                    "new_published": utc_iso(published),
                    "new_author": author,
                    "new_image": image,
                },
            )

    def articles_by_id(self, article_ids: Iterable[int]) -> list[PendingArticle]:
        rows = self._in_chunks(
            lambda chunk: pending_select().where(articles.c.id.in_(chunk)), article_ids
        )
        return [pending_of(row) for row in rows]

    def article(self, article_id: int) -> PendingArticle | None:
        found = self._all(pending_select().where(articles.c.id == article_id))
        return pending_of(found[0]) if found else None

    def original_with_link(self, link: str, other_than: int) -> int | None:
        """The earliest original article stored under canonical `link`, other than `other_than`."""
        return self.connection.execute(
            _original_other_than(), {"link": link, "other_than": other_than}
        ).scalar()

    def set_canonical(self, article_id: int, link: str) -> None:
        with self.transaction() as c:
            c.execute(
                update(articles).where(articles.c.id == article_id).values(canonical_url=link)
            )

    def mark_duplicate(self, article_id: int, original_id: int) -> None:
        with self.transaction() as c:
            c.execute(
                update(articles).where(articles.c.id == article_id).values(duplicate_of=original_id)
            )
            c.execute(_drop_sketch_keys(), {"article_id": article_id})

    def save_sketch(self, article_id: int, hashes: list[int], keys: list[int]) -> None:
        with self.transaction() as c:
            c.execute(
                _upsert_sketch(self.sqlite),
                {"article_id": article_id, "hashes": json.dumps(hashes)},
            )
            c.execute(_drop_sketch_keys(), {"article_id": article_id})
            if keys:  # executemany: the driver sends the rows together
                c.execute(
                    sketch_keys.insert(), [{"key": k, "article_id": article_id} for k in keys]
                )

    def sketch_candidates(self, keys: list[int], other_than: int) -> list[tuple[int, list[int]]]:
        """Original articles sharing a sketch key with `keys`: (id, sketch), oldest first."""
        if not keys:
            return []
        rows = self.connection.execute(
            _sketches_sharing_keys(), {"keys": keys, "other_than": other_than}
        ).all()
        return [(row.article_id, json.loads(row.hashes)) for row in rows]

    def articles_to_analyse(self, version: int) -> list[Article]:
        return [
            article_of(row)
            for row in self._all(
                select(articles)
                .outerjoin(analyses, analyses.c.article_id == articles.c.id)
                .where(
                    articles.c.text.is_not(None),
                    or_(analyses.c.article_id.is_(None), analyses.c.version < version),
                )
                .order_by(articles.c.id)
            )
        ]

    def save_analysis(
        self, article_id: int, version: int, analysis: Analysis, when: datetime
    ) -> None:
        body = json.dumps(
            {
                "quotes": [asdict(q) for q in analysis.quotes],
                "figures": [asdict(f) for f in analysis.figures],
                "entities": [asdict(e) for e in analysis.entities],
            },
            ensure_ascii=False,
        )
        with self.transaction() as c:
            c.execute(
                _upsert_analysis(self.sqlite),
                {
                    "article_id": article_id,
                    "version": version,
                    "lang": analysis.lang,
                    "body": body,
                    "analysed_at": utc_iso(when),
                },
            )

    def articles_between(self, start: datetime, end: datetime) -> list[Article]:
        """Extracted articles whose published time (else first seen) is in [start, end)."""
        when = func.coalesce(articles.c.published, articles.c.first_seen)
        rows = self._all(
            select(articles)
            .where(articles.c.text.is_not(None), when >= utc_iso(start), when < utc_iso(end))
            .order_by(when, articles.c.id)
        )
        return [article_of(row) for row in rows]

    def analyses(self, article_ids: Iterable[int]) -> dict[int, Analysis]:
        out = {}
        for row in self._in_chunks(
            lambda chunk: select(analyses).where(analyses.c.article_id.in_(chunk)), article_ids
        ):
            body = json.loads(row.body)
            out[row.article_id] = Analysis(
                lang=row.lang,
                quotes=tuple(Quote(**q) for q in body["quotes"]),
                figures=tuple(Figure(**f) for f in body["figures"]),
                entities=tuple(Entity(**e) for e in body["entities"]),
            )
        return out


# The statements written for every article are built once: on SQLite, building
# one through SQLAlchemy cost more than running it (a cold day of 1,000 articles
# spent seconds there, bench/e2e.py). Values are bound by name at each execute.


@lru_cache
def _original_by_link():
    return (
        select(articles.c.id, articles.c.feed_id)
        .where(articles.c.canonical_url == bindparam("link"), articles.c.duplicate_of.is_(None))
        .order_by(articles.c.id)
        .limit(1)
    )


@lru_cache
def _add_entry(on_sqlite: bool):
    return insert_for(on_sqlite, articles).on_conflict_do_nothing().returning(articles.c.id)


@lru_cache
def _drop_derived() -> tuple:
    return tuple(
        delete(table).where(table.c.article_id == bindparam("article_id"))
        for table in (analyses, embeddings, sketch_keys, sketches)
    )


@lru_cache
def _save_text():
    return (
        update(articles)
        .where(articles.c.id == bindparam("article_id"))
        .values(
            text=bindparam("new_text"),
            lang=bindparam("new_lang"),
            extract_source=bindparam("new_source"),
            extract_error=bindparam("new_error"),
            extracted_at=bindparam("new_extracted_at"),
            published=func.coalesce(articles.c.published, bindparam("new_published")),
            author=bindparam("new_author"),
            image=bindparam("new_image"),
            claimed_by=None,
            lease_until=None,
        )
    )


@lru_cache
def _upsert_sketch(on_sqlite: bool):
    upsert = insert_for(on_sqlite, sketches)
    return upsert.on_conflict_do_update(
        index_elements=[sketches.c.article_id], set_={"hashes": upsert.excluded.hashes}
    )


@lru_cache
def _drop_sketch_keys():
    return delete(sketch_keys).where(sketch_keys.c.article_id == bindparam("article_id"))


@lru_cache
def _upsert_analysis(on_sqlite: bool):
    upsert = insert_for(on_sqlite, analyses)
    return upsert.on_conflict_do_update(
        index_elements=[analyses.c.article_id],
        set_={name: upsert.excluded[name] for name in ("version", "lang", "body", "analysed_at")},
    )


@lru_cache
def _original_other_than():
    return (
        select(articles.c.id)
        .where(
            articles.c.canonical_url == bindparam("link"),
            articles.c.duplicate_of.is_(None),
            articles.c.id != bindparam("other_than"),
        )
        .order_by(articles.c.id)
        .limit(1)
    )


@lru_cache
def _sketches_sharing_keys():
    return (
        select(sketches.c.article_id, sketches.c.hashes)
        .distinct()
        .join(sketch_keys, sketch_keys.c.article_id == sketches.c.article_id)
        .join(articles, articles.c.id == sketches.c.article_id)
        .where(
            sketch_keys.c.key.in_(bindparam("keys", expanding=True)),
            sketch_keys.c.article_id != bindparam("other_than"),
            articles.c.duplicate_of.is_(None),
        )
        .order_by(sketches.c.article_id)
    )
