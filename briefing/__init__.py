"""briefing: a bilingual morning news briefing from RSS/Atom feeds."""

__version__ = "0.1.0"
