"""Evaluation scores and their report: counts per fact type, per article and per article set.

:class:`Score` counts gold, extracted and matched facts of one type and derives precision,
recall and F1; :class:`EvalReport` holds one :class:`ArticleResult` per gold article, sums
them per set ('seeds', 'own', 'all') and renders the totals as a table or the whole report
as JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FACT_TYPES", "ArticleResult", "EvalReport", "Score"]

FACT_TYPES: tuple[str, ...] = (
    "entities",
    "post_holdings",
    "events",
    "events_typed",
    "events_full",
    "event_arguments",
    "claims",
    "claims_full",
    "dates",
    "published",
)


@dataclass
class Score:
    """Counts of one fact type; matched facts are counted once for precision and recall."""

    gold: int = 0
    extracted: int = 0
    matched: int = 0

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched += other.matched

    @property
    def precision(self) -> float:
        """Matched over extracted; 1.0 when neither gold nor extraction has any, 0.0 when only gold has."""
        return self.matched / self.extracted if self.extracted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        """Matched over gold; 1.0 when neither gold nor extraction has any, 0.0 when only extraction has."""
        return self.matched / self.gold if self.gold else (1.0 if not self.extracted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The counts and the rounded precision, recall and F1."""
        return {
            "gold": self.gold,
            "extracted": self.extracted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class ArticleResult:
    """The scores of one gold article (every fact type present) and its misses, one line each."""

    article: str
    set: str
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in FACT_TYPES})
    errors: list[str] = field(default_factory=list)  # "FN events: ..." / "FP entities: ..."


@dataclass
class EvalReport:
    """Scores per article, summed per article set ('seeds', 'own') and overall ('all')."""

    articles: list[ArticleResult]

    def totals(self, set_name: str = "all") -> dict[str, Score]:
        """The scores per fact type summed over the articles of ``set_name`` ('all': every article)."""
        out = {t: Score() for t in FACT_TYPES}
        for res in self.articles:
            if set_name in ("all", res.set):
                for t in FACT_TYPES:
                    out[t].add(res.scores[t])
        return out

    def sets(self) -> list[str]:
        """The article sets, sorted, then 'all'."""
        return [*sorted({r.set for r in self.articles}), "all"]

    def as_dict(self) -> dict[str, Any]:
        """The totals per set and the scores and misses of every article."""
        return {
            "sets": {s: {t: sc.as_dict() for t, sc in self.totals(s).items()} for s in self.sets()},
            "articles": [
                {
                    "article": r.article,
                    "set": r.set,
                    "scores": {t: sc.as_dict() for t, sc in r.scores.items()},
                    "errors": r.errors,
                }
                for r in self.articles
            ],
        }

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def format_table(self) -> str:
        """The totals as a text table: one row per set and fact type."""
        lines: list[str] = []
        head = (
            f"{'set':<6} {'fact type':<16} {'gold':>5} {'extr':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}"
        )
        lines.append(head)
        lines.append("-" * len(head))
        for s in self.sets():
            n = sum(1 for r in self.articles if s in ("all", r.set))
            for t, sc in self.totals(s).items():
                lines.append(
                    f"{s:<6} {t:<16} {sc.gold:>5} {sc.extracted:>5} {sc.matched:>5} "
                    f"{sc.precision:>6.3f} {sc.recall:>6.3f} {sc.f1:>6.3f}"
                )
            lines.append(f"{'':<6} ({n} articles)")
        return "\n".join(lines)
