"""What the UI reads from the store, and how it says it: SPARQL helpers, terms as
template cells, facts as English sentences, and the sentences facts were extracted from.

Plain functions over a ``Reader`` (SPARQL SELECT text in, solutions out: the app's query
engine in the server, or a pyoxigraph ``Store`` through ``store_reader``) and ``Settings``;
no Flask here, so they are tested without an app. The store's default graph is the
materialised union of all graphs (docs/graph-conventions.md), so every query reads the
default graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.kinds import sentences
from kg.settings import Settings

__all__ = [
    "EVENT_CLASSES",
    "FACT_CLASSES",
    "PREFIXES",
    "Node",
    "Part",
    "Reader",
    "cell",
    "describe",
    "groundings",
    "highlight",
    "iris_in",
    "is_web_link",
    "joined_iris",
    "labels_of",
    "load_nodes",
    "local_href",
    "short",
    "store_reader",
    "table_cell",
]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"


def PREFIXES(base: str) -> dict[str, str]:
    """The prefixes the UI's queries and the editor use, for a base IRI."""
    return {
        "pen": base + "ontology#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": XSD,
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "prov": "http://www.w3.org/ns/prov#",
        "schema": "https://schema.org/",
    }


@dataclass(frozen=True)
class Reader:
    """How the UI reads the graph. ``run`` takes complete SPARQL SELECT text and returns
    its solutions (the local store's ``query``, or the app's query engine with its time
    limit and row cap); ``settings`` give the base IRI."""

    run: Callable[[str], Any]
    settings: Settings

    @property
    def base(self) -> str:
        return str(self.settings.base_iri)

    def select(self, query: str, **bindings: ox.NamedNode | ox.Literal) -> list[dict[str, Any]]:
        """Rows as dicts of variable name → term (unbound variables absent). ``bindings``
        are bound as RDF terms through a trailing VALUES clause written from pyoxigraph
        terms (which validate themselves), never by pasting user text."""
        header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES(self.base).items())
        if bindings:
            bound = " ".join(f"?{k}" for k in bindings)
            terms = " ".join(str(v) for v in bindings.values())
            query = f"{query}\nVALUES ({bound}) {{ ({terms}) }}"
        results = self.run(header + query)
        names = [v.value for v in results.variables]
        rows: list[dict[str, Any]] = []
        for solution in results:
            rows.append({n: t for n, t in zip(names, solution, strict=True) if t is not None})
        return rows


def store_reader(store: ox.Store, settings: Settings) -> Reader:
    """A reader over a pyoxigraph store (its default graph)."""
    return Reader(store.query, settings)


def labels_of(reader: Reader, iris: Iterable[str]) -> dict[str, str]:
    """rdfs:label of each IRI that has one (an English or untagged label preferred)."""
    nodes = sorted(set(iris))
    if not nodes:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in nodes)
    query = (
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l . "
        "FILTER(lang(?l) = '' || langMatches(lang(?l), 'en')) }"
    )
    out: dict[str, str] = {}
    for row in reader.select(query):
        out.setdefault(row["s"].value, row["l"].value)
    return out


# ---------------------------------------------------------------- terms as cells


def local_href(iri: str, base: str) -> str:
    """Where a browser should go for an IRI: this server for our own resources and ontology
    terms, the IRI itself for other ``http(s):`` IRIs, and nowhere ("") for any other
    scheme: an IRI in the data such as ``javascript:…`` is never rendered as a link."""
    if iri.startswith((base + "resource/", base + "graph/", base + "ontology/")):
        return "/" + iri[len(base) :]
    if iri.startswith(base + "ontology#"):
        return "/ontology#" + iri[len(base + "ontology#") :]
    return iri if is_web_link(iri) else ""


def is_web_link(iri: str) -> bool:
    """True for an ``http:`` or ``https:`` IRI, the only ones rendered as links."""
    return iri[:8].lower().startswith(("http://", "https://"))


_MORE_PREFIXES = {"dcterms": "http://purl.org/dc/terms/", "wd": "http://www.wikidata.org/entity/"}


def short(iri: str, base: str) -> str:
    """A prefixed name for display when a known namespace fits, else the IRI."""
    for prefix, ns in {**PREFIXES(base), **_MORE_PREFIXES}.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def cell(term: Any, labels: Mapping[str, str], base: str) -> dict[str, Any]:
    """A term as a template-friendly dict: ``kind`` is 'iri', 'literal', 'bnode' or
    'empty'; IRIs carry ``href`` and a readable ``label``; literals ``text``, ``datatype``
    (short form) and ``lang``."""
    if term is None:
        return {"kind": "empty"}
    kind = type(term).__name__
    if kind in {"NamedNode", "URIRef"}:
        iri = term.value if kind == "NamedNode" else str(term)
        return {
            "kind": "iri",
            "iri": iri,
            "href": local_href(iri, base),
            "label": labels.get(iri) or short(iri, base),
            "external": not iri.startswith(base),
        }
    if kind in {"BlankNode", "BNode"}:
        return {"kind": "bnode", "text": "_:" + (term.value if kind == "BlankNode" else str(term))}
    if kind in {"Literal"}:
        if isinstance(term, ox.Literal):
            text, datatype, lang = term.value, term.datatype.value, term.language
        else:
            text, datatype, lang = str(term), str(term.datatype or XSD + "string"), term.language
        return {"kind": "literal", "text": text, "datatype": short(datatype, base), "lang": lang or ""}
    return {"kind": "literal", "text": str(term), "datatype": "", "lang": ""}


def iris_in(rows: Iterable[Iterable[Any]]) -> set[str]:
    """Every IRI of a table's cells, those of joined cells (:func:`joined_iris`) too."""
    found: set[str] = set()
    for row in rows:
        for t in row:
            if isinstance(t, ox.NamedNode):
                found.add(t.value)
            elif type(t).__name__ == "URIRef":
                found.add(str(t))
            else:
                found.update(joined_iris(t) or ())
    return found


_JOINED_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def joined_iris(term: Any) -> list[str] | None:
    """The IRIs of a canned query's joined cell — a plain string of absolute IRIs separated
    by "; " (docs/queries.md, "One row per answer") — or None for any other term."""
    if not isinstance(term, ox.Literal) or term.datatype.value != XSD + "string" or not term.value:
        return None
    parts = term.value.split("; ")
    if not all(_JOINED_IRI.fullmatch(p) and "://" in p for p in parts):
        return None
    try:
        for p in parts:
            ox.NamedNode(p)
    except ValueError:  # not an IRI after all: the text is shown as it is
        return None
    return parts


def table_cell(term: Any, labels: Mapping[str, str], base: str) -> dict[str, Any]:
    """A result-table cell: :func:`cell`, except that a joined cell of IRIs is ``kind``
    'list' with one IRI cell per ``parts``, each shown by its label and linked."""
    iris = joined_iris(term)
    if iris is None:
        return cell(term, labels, base)
    return {"kind": "list", "parts": [cell(ox.NamedNode(i), labels, base) for i in iris]}


# ---------------------------------------------------------------- readable sentences

# A sentence is a list of parts: plain text, or a link to an entity.
Part = dict[str, str]

EVENT_CLASSES: tuple[str, ...] = (
    "MissileLaunch",
    "NuclearTest",
    "WeaponTest",
    "MilitaryExercise",
    "MilitaryEvent",
    "Summit",
    "Talks",
    "Visit",
    "PhoneCall",
    "Meeting",
    "Accusation",
    "Threat",
    "Confirmation",
    "Denial",
    "Appeal",
    "Condemnation",
    "Statement",
    "Sanction",
    "Resolution",
    "Event",
)
"""Local names of the ontology's event classes (pen:), most specific first."""
FACT_CLASSES: tuple[str, ...] = (*EVENT_CLASSES, "PostHolding", "Claim", "ComplianceClaim")
_MODALITY_NOTES = {
    "Planned": " (planned)",
    "Predicted": " (predicted)",
    "Negated": " (said not to have happened)",
}


@dataclass
class Node:
    """One resource with its outgoing properties, keyed by the local name of pen: terms
    (and 'type', 'label' for rdf:type and rdfs:label)."""

    iri: str
    props: dict[str, list[Any]] = field(default_factory=dict)

    def first(self, key: str) -> Any:
        values = self.props.get(key)
        return values[0] if values else None

    def kinds(self) -> set[str]:
        return {t.value.rsplit("#", 1)[-1] for t in self.props.get("type", []) if isinstance(t, ox.NamedNode)}


def load_nodes(reader: Reader, iris: Iterable[str]) -> dict[str, Node]:
    """The outgoing properties of each IRI (pen: terms, rdf:type, rdfs:label)."""
    pen = reader.base + "ontology#"
    nodes = {i: Node(i) for i in iris}
    if not nodes:
        return nodes
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(nodes))
    rows = reader.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
    for row in rows:
        p = row["p"].value
        if p.startswith(pen):
            key = p[len(pen) :]
        elif p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            key = "type"
        elif p == RDFS_LABEL:
            key = "label"
        else:
            continue
        nodes[row["s"].value].props.setdefault(key, []).append(row["o"])
    return nodes


def _ref(term: Any, labels: Mapping[str, str], base: str) -> Part:
    c = cell(term, labels, base)
    if c["kind"] == "iri":
        return {"text": c["label"], "href": c["href"]}
    return {"text": c.get("text", "")}


def _join(terms: Sequence[Any], labels: Mapping[str, str], base: str) -> list[Part]:
    parts: list[Part] = []
    for i, t in enumerate(terms):
        if i:
            parts.append({"text": " and " if i == len(terms) - 1 else ", "})
        parts.append(_ref(t, labels, base))
    return parts


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _date_words(node: Node) -> str:
    date = node.first("date")
    if date is not None:  # a month or a year is "in", a day is "on"
        return f" {'on' if len(date.value) >= 10 else 'in'} {date.value}"
    start, end = node.first("startDate"), node.first("endDate")
    if start is not None and end is not None:
        return f" from {start.value} to {end.value}"
    if start is not None:
        return f" from {start.value}"
    text = node.first("dateText")
    return f" ({text.value})" if text is not None else ""


def _weapon_words(node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    count_term = node.first("count")
    count = int(count_term.value) if count_term is not None and count_term.value.isdigit() else 1
    system, klass = node.first("weaponSystem"), node.first("weaponClass")
    if system is not None:
        ref = _ref(system, labels, base)
        if count > 1:
            return [{"text": f"{count} "}, ref, {"text": " missiles"}]
        return [{"text": "a "}, ref]
    if klass is not None:
        ref = _ref(klass, labels, base)
        if count > 1:
            return [{"text": f"{count} "}, {**ref, "text": ref["text"] + "s"}]
        return [{"text": _article(ref["text"]) + " "}, ref]
    return [{"text": f"{count} missiles" if count > 1 else "a missile"}]


# The facts that are no events, told like the event kinds' rows (kg.kinds) tell theirs.
_OTHER_SENTENCES = (
    ("PostHolding", "{holder} held the post {post|}{@when}"),
    ("Claim", "{claimedBy}{@said}[ of {claimAbout}]{@words:gist}"),
    ("ComplianceClaim", "{claimedBy}{@said}[ of {claimAbout}]{@words:gist}"),
)
SENTENCES: tuple[tuple[str, str], ...] = (*sentences(), *_OTHER_SENTENCES)
"""(class local name, sentence template) pairs, in the order :func:`describe` tries them."""
_TEMPLATE_PARTS = re.compile(r"\[([^\]]*)\]|\{([^}]*)\}|([^\[{]+)")
_SLOT = re.compile(r"\{\+?([A-Za-z,]+)")


def _slot(slot: str, node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    """The words of one ``{slot}`` of a sentence template (kg.kinds says what they mean)."""
    if slot == "@when":
        return [{"text": _date_words(node)}]
    if slot == "@weapons":
        return _weapon_words(node, labels, base)
    if slot == "@said":
        polarity = node.first("polarity")
        return [{"text": " denied" if polarity is not None and polarity.value == "false" else " said"}]
    if slot.startswith("@words:"):
        words = next((w for k in slot[7:].split(",") if (w := node.first(k)) is not None), None)
        return [{"text": f": “{words.value}”"}] if words is not None else []
    if slot.startswith("+"):
        return []
    keys, _, otherwise = slot.partition("|")
    terms = [t for k in keys.split(",") for t in node.props.get(k, [])]
    if terms:
        return _join(terms, labels, base)
    if "|" not in slot:
        return [{"text": "someone"}]
    return [{"text": otherwise}] if otherwise else []


def _fill(template: str, node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    """A sentence template filled in with the node's values."""
    parts: list[Part] = []
    for optional, slot, text in _TEMPLATE_PARTS.findall(template):
        if optional:
            needed = [k for m in _SLOT.finditer(optional) for k in m.group(1).split(",")]
            if all(node.props.get(k) for k in needed):
                parts += _fill(optional, node, labels, base)
        elif slot:
            parts += _slot(slot, node, labels, base)
        else:
            parts.append({"text": text})
    return parts


def describe(node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    """A fact as an English sentence: 'North Korea launched 2 cruise missiles on
    2021-03-21 from South Pyongan', by the template of its most specific class; else the
    resource's label."""
    kinds = node.kinds()
    template = next((t for cls, t in SENTENCES if cls in kinds), None)
    if template is None:
        label = node.first("label")
        return [{"text": label.value if label is not None else short(node.iri, base)}]
    parts = _fill(template, node, labels, base)
    modality = node.first("modality")
    if modality is not None:
        parts.append({"text": _MODALITY_NOTES.get(modality.value.rsplit("#", 1)[-1], "")})
    return parts


# ---------------------------------------------------------------- grounding


def highlight(text: str, offset: int, spans: Iterable[tuple[int, int, str]]) -> list[Part]:
    """``text`` (which starts at ``offset`` of the article) cut into parts; the spans
    (absolute begin, end, css class) become ``mark`` parts. Overlapping spans keep the
    first (longest at equal starts)."""
    parts: list[Part] = []
    at = 0
    for begin, end, klass in sorted(spans, key=lambda s: (s[0], -s[1])):
        b, e = begin - offset, end - offset
        if b < at or e > len(text) or b >= e:
            continue
        if b > at:
            parts.append({"text": text[at:b]})
        parts.append({"text": text[b:e], "mark": klass})
        at = e
    if at < len(text):
        parts.append({"text": text[at:]})
    return parts


_GROUNDING = """
SELECT ?r ?m ?mb ?me ?sb ?stext ?article WHERE {
  VALUES ?r { %s }
  ?r pen:denotedBy ?m . ?m pen:beginIndex ?mb ; pen:endIndex ?me ; pen:inArticle ?article ;
     pen:sentence ?s . ?s pen:beginIndex ?sb ; pen:anchorOf ?stext .
} ORDER BY ?article ?mb
"""


def groundings(
    reader: Reader, iris: Iterable[str], *, limit: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """For each IRI, the mentions that denote it: article, sentence text and offsets (at
    most ``limit`` in all, in article order)."""
    wanted = sorted(set(iris))
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    if not wanted:
        return out
    values = " ".join(str(ox.NamedNode(i)) for i in wanted)
    query = _GROUNDING % values
    if limit is not None:  # the first found, not sorted: sorting thousands to show a hundred costs more
        query = query.replace("ORDER BY ?article ?mb", f"LIMIT {int(limit)}")
    for row in reader.select(query):
        out[row["r"].value].append(
            {
                "article": row["article"].value,
                "begin": int(row["mb"].value),
                "end": int(row["me"].value),
                "sentence_begin": int(row["sb"].value),
                "sentence": row["stext"].value,
            }
        )
    return out
