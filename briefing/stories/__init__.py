"""From articles to stories: clustering, composition and ranking."""
