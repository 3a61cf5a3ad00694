"""Output formats of the query engine: what a result is serialised as.

``OutputFormat`` is what a job carries (a media type and the engine's name for the format).
The table of formats offered over HTTP, in dumps and on the command line is built on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FORM_KIND", "Kind", "OutputFormat"]

Kind = Literal["solutions", "boolean", "graph"]
FORM_KIND: dict[str, Kind] = {
    "SELECT": "solutions",
    "ASK": "boolean",
    "CONSTRUCT": "graph",
    "DESCRIBE": "graph",
}


@dataclass(frozen=True)
class OutputFormat:
    """What to serialise a result as: its media type and the engine's format name
    (for Oxigraph, a member of ``QueryResultsFormat`` for solutions and booleans, of
    ``RdfFormat`` for graphs)."""

    media_type: str
    engine_format: str
