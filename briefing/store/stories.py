"""The store's stories side: vectors, stories and their articles, the issues built."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import numpy as np
from sqlalchemy import select

from briefing.models import Issue
from briefing.schema import editions, embeddings, stories, story_articles
from briefing.store.rows import earlier, from_iso, issues_of, later, utc_iso


class StoryQueries:
    """Queries on `embeddings`, `stories`, `story_articles` and `editions` (a part of Store)."""

    def vectors(self, article_ids: Iterable[int], model: str) -> dict[int, np.ndarray]:
        rows = self._in_chunks(
            lambda chunk: select(embeddings.c.article_id, embeddings.c.vector).where(
                embeddings.c.model == model, embeddings.c.article_id.in_(chunk)
            ),
            article_ids,
        )
        return {row.article_id: np.frombuffer(row.vector, dtype=np.float32) for row in rows}

    def save_vectors(self, model: str, vectors: dict[int, np.ndarray]) -> None:
        if not vectors:
            return
        upsert = self.insert(embeddings)
        with self.transaction() as c:
            c.execute(
                upsert.on_conflict_do_update(
                    index_elements=[embeddings.c.article_id, embeddings.c.model],
                    set_={"vector": upsert.excluded.vector},
                ),
                [
                    {
                        "article_id": i,
                        "model": model,
                        "vector": np.asarray(v, dtype=np.float32).tobytes(),
                    }
                    for i, v in vectors.items()
                ],
            )

    def previous_edition_time(self, date: str) -> datetime | None:
        """When the latest issue of the same edition before `date` (edition.issue_key) was generated."""
        found = self.connection.execute(
            select(editions.c.generated_at)
            .where(editions.c.date < date, issues_of(editions.c.date, date.rpartition("/")[0]))
            .order_by(editions.c.date.desc())
            .limit(1)
        ).scalar()
        return from_iso(found)

    def story_first_seen(self, story_ids: Iterable[str]) -> dict[str, datetime]:
        rows = self._in_chunks(
            lambda chunk: select(stories.c.id, stories.c.first_seen).where(stories.c.id.in_(chunk)),
            story_ids,
        )
        return {row.id: from_iso(row.first_seen) for row in rows}

    def story_ids(self, article_ids: Iterable[int]) -> dict[int, str]:
        rows = self._in_chunks(
            lambda chunk: select(story_articles).where(story_articles.c.article_id.in_(chunk)),
            article_ids,
        )
        return {row.article_id: row.story_id for row in rows}

    def save_stories(self, found: list[tuple[str, list[int], datetime]]) -> dict[str, datetime]:
        """Attach articles to their stories (creating them), in one transaction.

        `found` holds (story id, article ids, earliest article time); returns
        when each story was first seen.
        """
        if found:
            story = self.insert(stories)
            link = self.insert(story_articles)
            with self.transaction() as c:
                c.execute(
                    story.on_conflict_do_update(
                        index_elements=[stories.c.id],
                        set_={
                            "last_seen": later(stories.c.last_seen, story.excluded.last_seen),
                            "first_seen": earlier(stories.c.first_seen, story.excluded.first_seen),
                        },
                    ),
                    [
                        {"id": sid, "key": sid, "first_seen": utc_iso(t), "last_seen": utc_iso(t)}
                        for sid, _, t in found
                    ],
                )
                links = [{"article_id": a, "story_id": sid} for sid, ids, _ in found for a in ids]
                if links:
                    c.execute(
                        link.on_conflict_do_update(
                            index_elements=[story_articles.c.article_id],
                            set_={"story_id": link.excluded.story_id},
                        ),
                        links,
                    )
        return self.story_first_seen(story_id for story_id, _, _ in found)

    def save_edition(
        self,
        date: str,
        generated_at: datetime,
        start: datetime,
        end: datetime,
        files: dict[str, str],
    ) -> None:
        upsert = self.insert(editions).values(
            date=date,
            generated_at=utc_iso(generated_at),
            window_start=utc_iso(start),
            window_end=utc_iso(end),
            files=json.dumps(files),
        )
        with self.transaction() as c:
            c.execute(
                upsert.on_conflict_do_update(
                    index_elements=[editions.c.date],
                    set_={
                        name: upsert.excluded[name]
                        for name in ("generated_at", "window_start", "window_end", "files")
                    },
                )
            )

    def edition_files(self, date: str) -> dict[str, str] | None:
        found = self.connection.execute(
            select(editions.c.files).where(editions.c.date == date)
        ).scalar()
        return json.loads(found) if found else None

    def last_issue(self, edition: str | None) -> Issue | None:
        """The latest built issue of an edition (None: the default one)."""
        found = self.connection.execute(
            select(editions.c.date, editions.c.generated_at)
            .where(issues_of(editions.c.date, edition))
            .order_by(editions.c.date.desc())
            .limit(1)
        ).first()
        return Issue(found.date, from_iso(found.generated_at)) if found else None
