"""Getting news in: the HTTP client, feeds, and article pages."""
