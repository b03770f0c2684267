"""Order stories for the reader: breadth of coverage first, then recency."""

from __future__ import annotations

from dataclasses import replace

from briefing.models import Story


def rank(stories: list[Story]) -> list[Story]:
    """Stories ordered by independent outlets, languages, article count and latest article; rank 1 first."""

    def weight(story: Story):
        latest = max(a.when for a in story.articles)
        return (
            -len(story.independent_outlets),
            -len(story.languages),
            -sum(1 for a in story.articles if a.duplicate_of is None),
            -latest.timestamp(),
            story.id,
        )

    return [replace(story, rank=i) for i, story in enumerate(sorted(stories, key=weight), start=1)]
