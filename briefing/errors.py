"""The two kinds of failure the CLI turns into exit statuses (see the contract)."""


class BriefingError(Exception):
    """A failure the user can act on; the CLI prints it on one line and exits 1."""


class ConfigError(BriefingError):
    """A configuration or usage error naming the key; the CLI exits 2."""
