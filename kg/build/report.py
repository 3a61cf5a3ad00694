"""What a build or an ingest did, for a person (:meth:`BuildSummary.render`) and for a
script (:meth:`BuildSummary.to_json`, kept beside the build and written by ``--report``).

Every input ends in exactly one list: published (extracted into the graph), unchanged
(already in the store as it is), duplicate (a copy of a story already extracted, recorded
as another publication of it), quarantined (read, but its extraction failed or its graph
broke a shape: not published, with the stage and the reason) or skipped (not readable as
an article, with the reason).

Exit codes (``exit_code``): 0 every input published, unchanged or recorded as a duplicate;
1 a build was published (or nothing needed to change) but some inputs were quarantined or
skipped; 2 nothing was published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.read.inputs import Skipped

__all__ = [
    "EXIT_NOTHING_PUBLISHED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "BuildSummary",
    "Duplicate",
    "Quarantined",
    "quarantine_of",
]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_NOTHING_PUBLISHED = 2


@dataclass(frozen=True)
class Quarantined:
    """An article that was read but not published: the ``stage`` that failed ("extract",
    "validate", "shared", "reasoner", "worker") and why."""

    name: str
    id: str
    stage: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """An article that repeats a story already extracted (``of``, an article id)."""

    name: str
    id: str
    of: str
    kind: str  # "exact" or "near"
    similarity: float


@dataclass
class BuildSummary:
    """The outcome of one ``kg build`` or ``kg ingest``."""

    command: str = "build"
    articles: list[str] = field(default_factory=list)  # published, by input name
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    store_quarantined: list[Quarantined] = field(default_factory=list)  # in the live build, after this run
    graphs: int = 0
    quads: int = 0
    triples: int = 0
    build: Path | None = None
    published: bool = False
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.error is not None or not (self.published or self.is_unchanged):
            return EXIT_NOTHING_PUBLISHED
        return EXIT_PARTIAL if self.quarantined or self.skipped else EXIT_OK

    @property
    def is_unchanged(self) -> bool:
        """Nothing to publish because the store already holds every input as it is."""
        return not self.published and self.error is None and bool(self.unchanged) and not self.articles

    def render(self) -> str:
        """The summary for a person: the counts, then one line per duplicate, quarantined and skipped input."""
        read = len(self.articles) + len(self.unchanged) + len(self.duplicates) + len(self.quarantined)
        lines = [
            f"articles read: {read}; published: {len(self.articles)}; unchanged: {len(self.unchanged)}; "
            f"duplicates: {len(self.duplicates)}; quarantined: {len(self.quarantined)}; skipped: {len(self.skipped)}"
        ]
        lines += [
            f"  duplicate {d.name}: {d.kind} copy of '{d.of}' (similarity {d.similarity:.2f})"
            for d in self.duplicates
        ]
        lines += [f"  quarantined {q.name} at {q.stage}: {q.reason}" for q in self.quarantined]
        lines += [f"  skipped {s.name}: {s.reason}" for s in self.skipped]
        if self.error is not None:
            lines.append(f"build failed, nothing published: {self.error}")
        elif self.is_unchanged:
            lines.append("no change: the store already holds these articles as they are")
        elif self.published:
            lines.append(
                f"published {self.build.name if self.build else '?'}: {self.graphs} named graphs, "
                f"{self.quads} quads in named graphs, {self.triples} triples in the default graph"
            )
        lines += self.notes
        total = sum(self.timings.values())
        steps = ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items())
        lines.append(f"time: {total:.2f}s ({steps})")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The summary as plain JSON data (the schema the README documents)."""
        return {
            "command": self.command,
            "published": self.published,
            "build": self.build.name if self.build and self.published else None,
            "exit_code": self.exit_code,
            "error": self.error,
            "counts": {
                "published": len(self.articles),
                "unchanged": len(self.unchanged),
                "duplicates": len(self.duplicates),
                "quarantined": len(self.quarantined),
                "skipped": len(self.skipped),
            },
            "published_articles": list(self.articles),
            "unchanged_articles": list(self.unchanged),
            "duplicates": [asdict(d) for d in self.duplicates],
            "quarantined": [asdict(q) for q in self.quarantined],
            "skipped": [asdict(s) for s in self.skipped],
            "store": {"quarantined": [asdict(q) for q in self.store_quarantined]},
            "graphs": self.graphs,
            "quads": self.quads,
            "triples": self.triples,
            "notes": list(self.notes),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def quarantine_of(report: Mapping[str, object] | None) -> list[dict[str, object]]:
    """The quarantined articles of the store, from a build's report (its ``store`` part)."""
    store = report.get("store") if report else None
    items = store.get("quarantined", []) if isinstance(store, Mapping) else []
    return [dict(item) for item in items if isinstance(item, Mapping)]
