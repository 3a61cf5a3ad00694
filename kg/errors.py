"""Domain errors. They carry no HTTP status: server.errors maps them to responses."""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "BuildError",
    "KGError",
    "QueryError",
    "QueryRefusedError",
    "QueryTimeoutError",
    "ValidationFailedError",
]


class KGError(Exception):
    """Base class of every error this package raises on purpose."""


class ArticleError(KGError):
    """An article could not be read (empty, binary, not UTF-8, too large, not English)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class BuildError(KGError):
    """A build could not be completed; nothing was published."""


class ValidationFailedError(BuildError):
    """The built graph failed SHACL validation or the reasoner's consistency check."""

    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


class QueryError(KGError):
    """A query is malformed or cannot be evaluated; the message is the engine's."""


class QueryRefusedError(QueryError):
    """A query asks for something the endpoint refuses (SERVICE, LOAD, an outside FROM ...)."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""
