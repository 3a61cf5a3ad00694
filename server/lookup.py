"""``/lookup?q=``: find entities by label or alias, prefix and typo tolerant.

The index is built once per build (one SPARQL query for every resource under
``<base>resource/`` with an ``rdfs:label`` or ``skos:altLabel``, and its types) and kept in
the web process. A name matches a query, normalised alike (case, accents and punctuation
folded), as one of, best first:

====================  =====================================================
exact                 100
prefix of the name    90 plus up to 10 for how much of the name it covers
prefix of a word      80 plus up to 10 likewise ("blink" → "Antony Blinken")
fuzzy (typos)         0.75 × the similarity (rapidfuzz's ``ratio``, 0-100) of
                      the query to the start of the name or of one of its words,
                      cut to the query's length or one more, when it is at least
                      80 and the query has 4 characters or more ("hwasnog" →
                      "Hwasong-12", "blinkn" → "Antony Blinken")
====================  =====================================================

An entity scores its best name; ties go to the entity the articles mention most, then to
labels before aliases, then to shorter labels.
Answers are JSON (the shape of Wikidata's ``wbsearchentities`` and of the Reconciliation
API's candidates: ``id``, ``label``, ``types``, ``score``, ``match``) or HTML.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from rapidfuzz import fuzz, process
from werkzeug.exceptions import BadRequest

from kg.rdf.terms import literal, sparql
from server.endpoint import endpoint_state, public_root, run
from server.http_cache import build_info
from server.negotiation import FORMATS, wants_html
from server.ui_cells import local_href

__all__ = ["Hit", "LookupIndex", "bp", "normalise"]

bp = Blueprint("lookup", __name__)

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_QUERY_CHARS = 200
FUZZY_MIN_CHARS = 4
FUZZY_CUTOFF = 80.0
_START_CHARS = 48  # a name start longer than any query worth matching by typos
_NON_WORD = re.compile(r"[^0-9a-z]+")
_INDEX_QUERY = """
SELECT ?s ?name ?kind (GROUP_CONCAT(DISTINCT STR(?type); SEPARATOR=" ") AS ?types) WHERE {
  { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name BIND("label" AS ?kind) }
  UNION { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?name BIND("alias" AS ?kind) }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), PREFIX))
  OPTIONAL { ?s a ?type }
} GROUP BY ?s ?name ?kind"""
_MENTIONS_QUERY = """
SELECT ?s (COUNT(?m) AS ?n) WHERE { ?s <ONTOLOGYdenotedBy> ?m } GROUP BY ?s"""


def normalise(text: str) -> str:
    """Lower case, accents stripped, every run of other characters one space."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()


@dataclass
class _Entity:
    iri: str
    label: str = ""
    types: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Hit:
    """One answer: the entity, its label and types, the score, and the name that matched."""

    iri: str
    label: str
    types: tuple[str, ...]
    score: float
    matched: str
    kind: str  # 'label' or 'alias'
    mentions: int = 0

    def as_json(self, page: str) -> dict[str, Any]:
        """The hit as the JSON answer gives it (``page``: where a browser reads it)."""
        return {
            "id": self.iri,
            "label": self.label,
            "types": [{"id": t, "label": _local(t)} for t in self.types],
            "score": self.score,
            "match": {"text": self.matched, "kind": self.kind},
            "url": page,
        }


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


class LookupIndex:
    """The names of every labelled resource of one build, searchable by ``search``."""

    def __init__(
        self, rows: list[tuple[str, str, str, list[str]]], mentions: dict[str, int] | None = None
    ) -> None:
        entities: dict[str, _Entity] = {}
        names: list[str] = []
        owners: list[tuple[str, str, str]] = []  # (iri, name as written, kind)
        for iri, name, kind, types in rows:
            entity = entities.setdefault(iri, _Entity(iri))
            entity.types.update(types)
            if kind == "label" and (not entity.label or len(name) < len(entity.label)):
                entity.label = name
            key = normalise(name)
            if key:
                names.append(key)
                owners.append((iri, name, kind))
        self.entities = entities
        self.mentions = mentions or {}
        self.names = names
        self.owners = owners
        # the start of each name and of each of its words, for typo-tolerant prefixes
        self.starts: list[str] = []
        self.start_owner: list[int] = []
        for i, key in enumerate(names):
            for m in re.finditer(r"(?:^| )(?=\S)", key):
                self.starts.append(key[m.end() : m.end() + _START_CHARS])
                self.start_owner.append(i)
        self._cut: dict[int, list[str]] = {}

    def _starts_cut(self, n: int) -> list[str]:
        """Every name and word start cut to ``n`` characters (kept for short ``n``)."""
        cut = self._cut.get(n)
        if cut is None:
            cut = [s[:n] for s in self.starts]
            if n <= 16:
                self._cut[n] = cut
        return cut

    def __len__(self) -> int:
        return len(self.entities)

    def _scores(self, q: str) -> dict[int, float]:
        """Name index → score, for every name that matches ``q`` (normalised)."""
        scores: dict[int, float] = {}
        word_start = " " + q
        for i, name in enumerate(self.names):
            if name == q:
                scores[i] = 100.0
            elif name.startswith(q):
                scores[i] = 90.0 + 10.0 * len(q) / len(name)
            elif word_start in " " + name:
                scores[i] = 80.0 + 10.0 * len(q) / len(name)
        if len(q) >= FUZZY_MIN_CHARS:
            fuzzy: dict[int, float] = {}
            for n in (len(q), len(q) + 1):
                found = process.extract(
                    q, self._starts_cut(n), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                )
                for _, similarity, j in found:
                    i = self.start_owner[j]
                    fuzzy[i] = max(fuzzy.get(i, 0.0), similarity)
            for i, similarity in fuzzy.items():
                scores.setdefault(i, round(0.75 * similarity, 1))
        return scores

    def search(self, query: str, limit: int = DEFAULT_LIMIT, types: set[str] | None = None) -> list[Hit]:
        """The best ``limit`` entities for ``query``, of any of ``types`` (class IRIs)."""
        q = normalise(query)
        if not q:
            return []
        best: dict[str, Hit] = {}
        for i, score in self._scores(q).items():
            iri, name, kind = self.owners[i]
            entity = self.entities[iri]
            if types and not (entity.types & types):
                continue
            label = entity.label or name
            hit = Hit(
                iri,
                label,
                tuple(sorted(entity.types)),
                round(score, 1),
                name,
                kind,
                self.mentions.get(iri, 0),
            )
            if iri not in best or _rank(hit) < _rank(best[iri]):
                best[iri] = hit
        return sorted(best.values(), key=_rank)[:limit]


def _rank(hit: Hit) -> tuple[float, int, int, int, str]:
    return (-hit.score, -hit.mentions, hit.kind != "label", len(hit.label), hit.iri)


# --------------------------------------------------------------------- per build

_lock = threading.Lock()


def current_index() -> LookupIndex:
    """The index of the build being served, built on first use after each new build."""
    state = endpoint_state()
    key = ("lookup", build_info().build)
    with _lock:
        index = state.caches.get(key)
        if isinstance(index, LookupIndex):
            return index
        prefix = sparql(literal(state.settings.base_iri + "resource/"))
        body = run(_INDEX_QUERY.replace("PREFIX", prefix), output=FORMATS[0].output).body
        rows = [
            (
                b["s"]["value"],
                b["name"]["value"],
                b["kind"]["value"],
                b.get("types", {}).get("value", "").split(),
            )
            for b in json.loads(body)["results"]["bindings"]
        ]
        text = _MENTIONS_QUERY.replace("ONTOLOGY", state.settings.base_iri + "ontology#")
        counts = json.loads(run(text, output=FORMATS[0].output).body)["results"]["bindings"]
        index = LookupIndex(rows, {b["s"]["value"]: int(b["n"]["value"]) for b in counts})
        for old in [k for k in state.caches if isinstance(k, tuple) and k and k[0] == "lookup"]:
            del state.caches[old]
        state.caches[key] = index
        return index


def _types_param(base: str) -> set[str] | None:
    """``type=Person`` (a class of the ontology) or ``type=<IRI>``, repeatable."""
    values = request.args.getlist("type")
    if not values:
        return None
    return {v if ":" in v else base + "ontology#" + v for v in values}


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest(f"limit={raw!r} is not a number") from None
    return max(1, min(limit, MAX_LIMIT))


@bp.route("/lookup")
def lookup() -> Response:
    """Entities whose label or alias matches ``q``: JSON for API clients (or
    ``format=json``), an HTML list for browsers (or ``format=html``)."""
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"q is longer than {MAX_QUERY_CHARS} characters")
    base = endpoint_state().settings.base_iri
    hits = current_index().search(query, _limit(), _types_param(base)) if query else []
    root = public_root().rstrip("/")
    results = [h.as_json(root + local_href(h.iri, base)) for h in hits]
    if _wants_json():
        response = jsonify({"query": query, "results": results})
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response = Response(
            render_template("lookup.html", query=query, results=results), mimetype="text/html"
        )
    response.vary.add("Accept")
    return response


def _wants_json() -> bool:
    fmt = request.args.get("format")
    if fmt:
        return fmt == "json"
    return not wants_html(request.accept_mimetypes, ["application/json"])
