"""Read access to an extracted graph, in the terms the gold speaks (docs/gold-format.md).

The evaluation reads the extraction back from the default graph (the union of the article
graphs, the reference data and the ontology), so IRIs and naming do not matter: a node is
known by the normalised forms (:func:`norm`) of its ``rdfs:label``, ``skos:altLabel``,
``skos:prefLabel`` and IRI slug, by its classes and their families, by its date interval and,
for an event, by the arguments the article at hand gives it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import cast

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.evaluation.gold import (
    ARGUMENT_PROPS,
    ENTITY_FAMILIES,
    EVENT_FAMILIES,
    DayInterval,
    day_interval,
    subclasses,
)
from kg.namespaces import PEN

__all__ = ["ExtractedGraph", "content_words", "norm"]

# A value given under a specific role is not also counted under its super-role.
_SUPER_ROLES = {
    "participant": ("visitor", "host"),
    "place": ("launchSite",),
    "actor": ("launchingState", "speaker"),
}
_STOP = {"the", "a", "an", "of", "in", "on", "at", "who", "and", "to", "by", "with", "since", "from"}


def norm(text: str) -> str:
    """The comparison key of a name: ASCII, lower case, no punctuation or spaces, no
    leading 'the' ('the U.S.' → 'us', 'Hwasong 15' and 'Hwasong-15' → 'hwasong15')."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"^\s*the\s+", "", t)
    return re.sub(r"[^a-z0-9]+", "", t)


def content_words(text: str) -> set[str]:
    """The content words of a text, ASCII and lower case, stop words out and a plural 's' cut
    ('the Foreign Ministers' → {'foreign', 'minister'})."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", t) if w not in _STOP}


class ExtractedGraph:
    """Read access to the extracted graph (the default-graph union)."""

    def __init__(self, graph: Graph, onto: Graph, base_iri: str) -> None:
        self.g = graph
        self.base = base_iri
        self.entity_family = {c: f for f in ENTITY_FAMILIES for c in subclasses(onto, f)}
        self.event_family: dict[str, str] = {}
        for f in EVENT_FAMILIES:  # ordered so that MissileLaunch wins over its parent WeaponTest
            for c in subclasses(onto, f):
                self.event_family.setdefault(c, f)
        self.onto = onto
        self._names: dict[Node, set[str]] = {}

    def local(self, node: Node) -> str:
        """The local name of an IRI (after its last '#' or '/')."""
        s = str(node)
        return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]

    def names(self, node: Node) -> set[str]:
        """The normalised names of a node: its labels and the words of its IRI slug."""
        if node not in self._names:
            out = {norm(self.local(node).replace("-", " "))}
            for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
                out.update(norm(str(o)) for o in self.g.objects(node, p))
            if isinstance(node, Literal):
                out.add(norm(str(node)))
            self._names[node] = out - {""}
        return self._names[node]

    def article(self, file_name: str) -> Node | None:
        """The article node read from the file ``file_name``, or None."""
        for a in self.g.subjects(PEN.sourceFile, None):
            for f in self.g.objects(a, PEN.sourceFile):
                if Path(str(f)).name == file_name:
                    return a
        return None

    def types(self, node: Node) -> set[str]:
        """The local names of a node's classes in the pen: namespace."""
        return {self.local(t) for t in self.g.objects(node, RDF.type) if str(t).startswith(str(PEN))}

    def most_specific(self, types: set[str]) -> str | None:
        """Of ``types``, the event class none of whose subclasses is among them, or None."""
        events = [t for t in types if t in self.event_family]
        for t in events:
            subs = {s for s in subclasses(self.onto, t) if s != t}
            if not subs & set(events):
                return t
        return None

    def select(self, query: str, article: Node) -> list[Node]:
        """The distinct ``?e`` of a query about one article (bound as ``?a``), sorted."""
        rows = self.g.query(query, initNs={"pen": PEN}, initBindings={"a": cast(Identifier, article)})
        return sorted({r[0] for r in rows}, key=str)  # type: ignore[index]

    def interval(self, ev: Node) -> DayInterval | None:
        """The days an event's date may fall on (from its earliest and latest bounds, its date, or its start and end), or None."""

        def day(p: URIRef) -> str | None:
            v = self.g.value(ev, p)
            return str(v)[:10] if v is not None else None

        lo, hi = day(PEN.earliest), day(PEN.latest)
        if lo and hi:
            return day_interval(lo)[0], day_interval(hi)[1]
        d = self.g.value(ev, PEN.date)
        if d is not None:
            try:
                return day_interval(str(d)[: 10 if len(str(d)) >= 10 else len(str(d))])
            except ValueError:
                return None
        s, e = day(PEN.startDate), day(PEN.endDate)
        if s or e:
            return day_interval(s or e or "")[0], day_interval(e or s or "")[1]
        return None

    def in_article(self, node: Node, article: Node) -> bool:
        """False for an entity that has mentions, none of them in ``article``: an argument
        another article gave to the same (merged) event."""
        mentions = list(self.g.objects(node, PEN.denotedBy))
        return not mentions or any((m, PEN.inArticle, article) in self.g for m in mentions)

    def arguments(self, ev: Node, article: Node) -> dict[str, list[Node]]:
        """The event's arguments as this article tells them."""
        out: dict[str, list[Node]] = {}
        for prop in set(ARGUMENT_PROPS.values()):
            objs = self.g.objects(ev, PEN[prop])
            vals = [v for v in dict.fromkeys(objs) if prop == "about" or self.in_article(v, article)]
            if vals:
                out[prop] = vals
        for sup, subs in _SUPER_ROLES.items():
            if sup in out:
                given = {v for s in subs for v in out.get(s, [])}
                out[sup] = [v for v in out[sup] if v not in given]
                if not out[sup]:
                    del out[sup]
        return out
