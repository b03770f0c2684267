"""Getting the briefing to readers: the email message and its delivery."""
