"""Score an extracted graph against a gold annotation (docs/gold-format.md).

The gold speaks of the graph's contract (docs/graph-conventions.md), not of the extractor:
entities by name and ontology class, events by class, date and arguments, claims by source
and the event they are about. Extraction is read back from the default graph (the union of
the article graphs, the reference data and the ontology) by SPARQL, so IRIs and naming do
not matter: names are compared after normalisation (case, accents, punctuation, a leading
"the") against every ``rdfs:label``, ``skos:altLabel`` and IRI slug of the extracted node,
and against the gold entity's name and aliases.

Matching is one-to-one and greedy by score within each article, so a duplicate extracted
node (one real thing minted twice) is a false positive, and a missed one a false negative.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import yaml
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.errors import KGError
from kg.namespaces import PEN
from kg.settings import Settings

__all__ = [
    "FACT_TYPES",
    "EvalReport",
    "GoldArticle",
    "GoldError",
    "Score",
    "build_extraction",
    "evaluate",
    "load_gold",
    "ontology_classes",
    "score_graph",
    "validate_gold",
]

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

ENTITY_FAMILIES = ("State", "Organisation", "Person", "Place", "WeaponSystem")
EVENT_FAMILIES = (
    "MissileLaunch",
    "NuclearTest",
    "WeaponTest",
    "MilitaryExercise",
    "Meeting",
    "Statement",
    "Sanction",
    "Resolution",
)
MODALITIES = ("Actual", "Planned", "Predicted", "Negated")
# Gold argument keys → graph properties (plural spellings accepted for lists).
ARGUMENT_PROPS: dict[str, str] = {
    "launchingState": "launchingState",
    "weaponSystem": "weaponSystem",
    "weaponClass": "weaponClass",
    "count": "count",
    "launchSite": "launchSite",
    "impactArea": "impactArea",
    "participant": "participant",
    "participants": "participant",
    "visitor": "visitor",
    "visitors": "visitor",
    "host": "host",
    "place": "place",
    "speaker": "speaker",
    "addressee": "addressee",
    "about": "about",
    "actor": "actor",
    "target": "target",
}
# A value given under a specific role is not also counted under its super-role.
_SUPER_ROLES = {
    "participant": ("visitor", "host"),
    "place": ("launchSite",),
    "actor": ("launchingState", "speaker"),
}
_STOP = {"the", "a", "an", "of", "in", "on", "at", "who", "and", "to", "by", "with", "since", "from"}


class GoldError(KGError):
    """A gold file that does not follow docs/gold-format.md."""


# --------------------------------------------------------------------------------------
# Scores and the report


@dataclass
class Score:
    """Counts of one fact type; matched facts are counted once for precision and recall."""

    gold: int = 0
    extracted: int = 0
    matched: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched += other.matched

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else (1.0 if not self.extracted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
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
    article: str
    set: str
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in FACT_TYPES})
    errors: list[str] = field(default_factory=list)  # "FN events: ..." / "FP entities: ..."


@dataclass
class EvalReport:
    """Scores per article, summed per article set ('seeds', 'own') and overall ('all')."""

    articles: list[ArticleResult]

    def totals(self, set_name: str = "all") -> dict[str, Score]:
        out = {t: Score() for t in FACT_TYPES}
        for res in self.articles:
            if set_name in ("all", res.set):
                for t in FACT_TYPES:
                    out[t].add(res.scores[t])
        return out

    def sets(self) -> list[str]:
        return [*sorted({r.set for r in self.articles}), "all"]

    def as_dict(self) -> dict[str, Any]:
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
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def format_table(self) -> str:
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


# --------------------------------------------------------------------------------------
# Gold files


@dataclass(frozen=True)
class GoldArticle:
    """One gold file, loaded: the article it annotates and what a reader finds in it."""

    article: str
    path: Path | None
    data: Mapping[str, Any]
    gold_file: Path

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.data.get("entities") or [])

    @property
    def events(self) -> list[dict[str, Any]]:
        return list(self.data.get("events") or [])


def _gold_files(gold: Path) -> list[Path]:
    if gold.is_dir():
        return sorted(p for p in gold.iterdir() if p.suffix in (".yaml", ".yml"))
    return [gold]


def _find_article(name: str, gold_file: Path, search_dirs: Sequence[Path]) -> Path | None:
    for d in (gold_file.parent, *search_dirs):
        if (d / name).is_file():
            return d / name
    return None


def load_gold(gold: Path, *, search_dirs: Sequence[Path] = ()) -> list[GoldArticle]:
    """Load a gold file or every ``*.yaml`` of a folder. An article is found by its
    ``path:`` (relative to the gold file) or by its file name in ``search_dirs``."""
    out: list[GoldArticle] = []
    for f in _gold_files(Path(gold)):
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise GoldError(f"{f.name}: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("article"), str):
            raise GoldError(f"{f.name}: a gold file is a mapping with an 'article' file name")
        path = (f.parent / data["path"]).resolve() if data.get("path") else None
        if path is None:
            path = _find_article(data["article"], f, search_dirs)
        out.append(GoldArticle(data["article"], path, data, f))
    return out


def ontology_classes(settings: Settings) -> Graph:
    """The ontology as an rdflib graph (for class names and the class hierarchy)."""
    g = Graph()
    g.parse(Path(settings.ontology_dir) / "peninsula.ttl", format="turtle")
    return g


def _subclasses(onto: Graph, local: str) -> set[str]:
    """Local names of the class and all its subclasses."""
    root = PEN[local]
    return {str(c).split("#")[-1] for c in onto.transitive_subjects(RDFS.subClassOf, root)}


def validate_gold(doc: GoldArticle, onto: Graph) -> list[str]:
    """Problems of one gold document against docs/gold-format.md; empty when valid."""
    problems: list[str] = []
    classes = {
        str(c).split("#")[-1] for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(PEN))
    }
    entity_types = set().union(*(_subclasses(onto, f) for f in ENTITY_FAMILIES))
    event_types = _subclasses(onto, "Event")
    roles = {str(r).split("#")[-1] for r in onto.subjects(RDF.type, PEN.Role)}
    weapon_classes = {str(r).split("#")[-1] for r in onto.subjects(RDF.type, PEN.WeaponClass)}
    d = doc.data
    where = doc.gold_file.name
    for key in ("published",):
        if key not in d:
            problems.append(f"{where}: missing '{key}' (null when the article has no date)")
    if d.get("published") is not None:
        _interval(d["published"], where, problems)
    names: set[str] = set()
    for e in doc.entities:
        if not isinstance(e, dict) or not e.get("name") or e.get("type") not in classes:
            problems.append(f"{where}: entity {e!r} needs a name and an ontology class as type")
        elif e["type"] not in entity_types:
            problems.append(f"{where}: entity {e['name']}: {e['type']} is not an entity class")
        else:
            names.add(e["name"])
    for h in d.get("post_holdings") or []:
        for k in ("person", "state"):
            if h.get(k) not in names:
                problems.append(f"{where}: post holding {h!r}: {k} is not a gold entity")
        if h.get("role") is not None and h["role"] not in roles:
            problems.append(f"{where}: post holding role {h['role']!r} is not a pen:Role")
    ids: set[str] = set()
    for ev in doc.events:
        if ev.get("type") not in event_types:
            problems.append(f"{where}: event {ev.get('id')!r}: type {ev.get('type')!r} is not an event class")
        if ev.get("modality", "Actual") not in MODALITIES:
            problems.append(f"{where}: event {ev.get('id')!r}: bad modality {ev.get('modality')!r}")
        if ev.get("id"):
            ids.add(str(ev["id"]))
        _event_interval(ev, where, problems)
        for k, v in (ev.get("arguments") or {}).items():
            if k not in ARGUMENT_PROPS:
                problems.append(f"{where}: event {ev.get('id')!r}: unknown argument {k!r}")
                continue
            for val in v if isinstance(v, list) else [v]:
                if k == "count":
                    if not isinstance(val, int):
                        problems.append(f"{where}: event {ev.get('id')!r}: count must be an integer")
                elif k == "weaponClass":
                    if val not in weapon_classes:
                        problems.append(f"{where}: event {ev.get('id')!r}: {val!r} is not a pen:WeaponClass")
                elif k != "about" and val not in names:
                    problems.append(f"{where}: event {ev.get('id')!r}: {k} {val!r} is not a gold entity")
    for ev in doc.events:
        about = (ev.get("arguments") or {}).get("about")
        if about is not None and about not in ids and about not in names:
            problems.append(
                f"{where}: event {ev.get('id')!r}: about {about!r} is neither an event id nor an entity"
            )
    for c in d.get("claims") or []:
        src = str(c.get("source", ""))
        if not (src.startswith(("anonymous:", "group:")) or src in names):
            problems.append(f"{where}: claim source {src!r} is not a gold entity nor 'anonymous:'/'group:'")
        if c.get("about") not in ids:
            problems.append(f"{where}: claim about {c.get('about')!r} is not a gold event id")
    for dt in d.get("dates") or []:
        if not dt.get("text"):
            problems.append(f"{where}: date {dt!r} needs its text")
        elif dt.get("value") is not None:
            _interval(dt["value"], where, problems)
    return problems


# --------------------------------------------------------------------------------------
# Dates: every date becomes a closed interval of days


def _parse_one(text: str) -> tuple[date, date]:
    text = str(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        d = date.fromisoformat(text)
        return d, d
    if re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = int(text[:4]), int(text[5:])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), nxt - timedelta(days=1)
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    raise ValueError(f"not an ISO date of day, month or year precision: {text!r}")


def _interval(value: Any, where: str = "", problems: list[str] | None = None) -> tuple[date, date] | None:
    """A gold date value (ISO text, or a mapping of start/end or earliest/latest) as days."""
    try:
        if value is None:
            return None
        if isinstance(value, dict):
            lo = value.get("start", value.get("earliest"))
            hi = value.get("end", value.get("latest", lo))
            return _parse_one(str(lo))[0], _parse_one(str(hi))[1]
        return _parse_one(str(value))
    except (ValueError, TypeError) as exc:
        if problems is None:
            raise GoldError(f"{where}: {exc}") from exc
        problems.append(f"{where}: {exc}")
        return None


def _event_interval(
    ev: Mapping[str, Any], where: str = "", problems: list[str] | None = None
) -> tuple[date, date] | None:
    if ev.get("start") or ev.get("end"):
        return _interval(
            {"start": ev.get("start") or ev.get("end"), "end": ev.get("end") or ev.get("start")},
            where,
            problems,
        )
    if ev.get("earliest") or ev.get("latest"):
        return _interval({"earliest": ev.get("earliest"), "latest": ev.get("latest")}, where, problems)
    return _interval(ev.get("date"), where, problems)


def _vague(value: Any) -> bool:
    return isinstance(value, dict) and ("earliest" in value or "latest" in value)


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])


# --------------------------------------------------------------------------------------
# Names


def norm(text: str) -> str:
    """The comparison key of a name: ASCII, lower case, no punctuation or spaces, no
    leading 'the' ('the U.S.' → 'us', 'Hwasong 15' and 'Hwasong-15' → 'hwasong15')."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"^\s*the\s+", "", t)
    return re.sub(r"[^a-z0-9]+", "", t)


def _words(text: str) -> set[str]:
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", t) if w not in _STOP}


class _Extracted:
    """Read access to the extracted graph (the default-graph union)."""

    def __init__(self, graph: Graph, onto: Graph, base_iri: str) -> None:
        self.g = graph
        self.base = base_iri
        self.entity_family = {c: f for f in ENTITY_FAMILIES for c in _subclasses(onto, f)}
        self.event_family: dict[str, str] = {}
        for f in EVENT_FAMILIES:  # ordered so that MissileLaunch wins over its parent WeaponTest
            for c in _subclasses(onto, f):
                self.event_family.setdefault(c, f)
        self.onto = onto
        self._names: dict[Node, set[str]] = {}

    def local(self, node: Node) -> str:
        s = str(node)
        return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]

    def names(self, node: Node) -> set[str]:
        if node not in self._names:
            out = {norm(self.local(node).replace("-", " "))}
            for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
                out.update(norm(str(o)) for o in self.g.objects(node, p))
            if isinstance(node, Literal):
                out.add(norm(str(node)))
            self._names[node] = out - {""}
        return self._names[node]

    def article(self, file_name: str) -> Node | None:
        for a in self.g.subjects(PEN.sourceFile, None):
            for f in self.g.objects(a, PEN.sourceFile):
                if Path(str(f)).name == file_name:
                    return a
        return None

    def types(self, node: Node) -> set[str]:
        return {self.local(t) for t in self.g.objects(node, RDF.type) if str(t).startswith(str(PEN))}

    def most_specific(self, types: set[str]) -> str | None:
        events = [t for t in types if t in self.event_family]
        for t in events:
            subs = {s for s in _subclasses(self.onto, t) if s != t}
            if not subs & set(events):
                return t
        return None

    def select(self, query: str, article: Node) -> list[Node]:
        """The distinct ``?e`` of a query about one article (bound as ``?a``), sorted."""
        rows = self.g.query(query, initNs={"pen": PEN}, initBindings={"a": cast(Identifier, article)})
        return sorted({r[0] for r in rows}, key=str)  # type: ignore[index]

    def interval(self, ev: Node) -> tuple[date, date] | None:
        def day(p: URIRef) -> str | None:
            v = self.g.value(ev, p)
            return str(v)[:10] if v is not None else None

        lo, hi = day(PEN.earliest), day(PEN.latest)
        if lo and hi:
            return _parse_one(lo)[0], _parse_one(hi)[1]
        d = self.g.value(ev, PEN.date)
        if d is not None:
            try:
                return _parse_one(str(d)[: 10 if len(str(d)) >= 10 else len(str(d))])
            except ValueError:
                return None
        s, e = day(PEN.startDate), day(PEN.endDate)
        if s or e:
            return _parse_one(s or e or "")[0], _parse_one(e or s or "")[1]
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


# --------------------------------------------------------------------------------------
# Scoring one article


def _greedy(pairs: Iterable[tuple[float, int, int]]) -> dict[int, int]:
    """One-to-one assignment gold index → extracted index, best score first."""
    taken_g: set[int] = set()
    taken_x: set[int] = set()
    out: dict[int, int] = {}
    for _s, gi, xi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi not in taken_g and xi not in taken_x:
            out[gi] = xi
            taken_g.add(gi)
            taken_x.add(xi)
    return out


class _ArticleScorer:
    def __init__(
        self, doc: GoldArticle, ext: _Extracted, article: Node | None, result: ArticleResult
    ) -> None:
        self.doc, self.x, self.a, self.res = doc, ext, article, result
        self.gold_entities = {e["name"]: e for e in doc.entities}
        self.event_match: dict[str, Node] = {}

    def gold_names(self, name: str) -> tuple[set[str], str | None]:
        e = self.gold_entities.get(name, {})
        names = {norm(name)} | {norm(a) for a in e.get("aliases") or []}
        iri = self.x.base + e["iri"] if e.get("iri") else None
        return names - {""}, iri

    def same(self, gold_value: Any, node: Node) -> bool:
        if isinstance(gold_value, int) and not isinstance(gold_value, bool):
            return isinstance(node, Literal) and str(node) == str(gold_value)
        if isinstance(gold_value, str) and gold_value in self.event_match:
            return self.event_match[gold_value] == node
        names, iri = self.gold_names(str(gold_value))
        return (iri is not None and str(node) == iri) or bool(names & self.x.names(node))

    def record(self, kind: str, sc: Score, gold_left: Iterable[str], extracted_left: Iterable[str]) -> None:
        self.res.scores[kind].add(sc)
        self.res.errors.extend(f"FN {kind}: {s}" for s in gold_left)
        self.res.errors.extend(f"FP {kind}: {s}" for s in extracted_left)

    def label(self, node: Node) -> str:
        lab = self.x.g.value(node, RDFS.label)
        return f"{lab} <{self.x.local(node)}>" if lab is not None else f"<{node}>"

    # -- entities
    def entities(self) -> None:
        xs: list[Node] = []
        if self.a is not None:
            q = "SELECT DISTINCT ?e WHERE { ?e pen:denotedBy ?m . ?m pen:inArticle ?a . }"
            xs = [e for e in self.x.select(q, self.a) if self.family(e)]
        gold = [e for e in self.doc.entities if not e.get("implicit")]  # implicit: arguments only
        pairs = []
        for gi, ge in enumerate(gold):
            names, iri = self.gold_names(ge["name"])
            fam = self.x.entity_family.get(ge["type"])
            for xi, xe in enumerate(xs):
                if self.family(xe) != fam:
                    continue
                if iri is not None and str(xe) == iri:
                    pairs.append((3.0, gi, xi))
                elif norm(ge["name"]) in self.x.names(xe):
                    pairs.append((2.0, gi, xi))
                elif names & self.x.names(xe):
                    pairs.append((1.0, gi, xi))
        m = _greedy(pairs)
        self.record(
            "entities",
            Score(len(gold), len(xs), len(m)),
            (f"{g['name']} ({g['type']})" for i, g in enumerate(gold) if i not in m),
            (self.label(x) for i, x in enumerate(xs) if i not in set(m.values())),
        )

    def family(self, node: Node) -> str | None:
        fams = {self.x.entity_family[t] for t in self.x.types(node) if t in self.x.entity_family}
        return sorted(fams)[0] if fams else None

    # -- post holdings
    def post_holdings(self) -> None:
        gold = list(self.doc.data.get("post_holdings") or [])
        xs: list[Node] = []
        if self.a is not None:
            q = """SELECT DISTINCT ?e WHERE { ?e a pen:PostHolding .
                   { ?e pen:reportedIn ?a } UNION { ?e pen:denotedBy/pen:inArticle ?a } }"""
            xs = self.x.select(q, self.a)
        g = self.x.g
        pairs = []
        for gi, gh in enumerate(gold):
            for xi, h in enumerate(xs):
                holder, post = g.value(h, PEN.holder), g.value(h, PEN.post)
                if holder is None or post is None or not self.same(gh["person"], holder):
                    continue
                states = list(g.objects(post, PEN.postIn))
                if not any(self.same(gh["state"], s) for s in states):
                    continue
                role = g.value(post, PEN.role)
                if gh.get("role") and role is not None and self.x.local(role) != gh["role"]:
                    continue
                pairs.append((1.0, gi, xi))
        m = _greedy(pairs)
        self.record(
            "post_holdings",
            Score(len(gold), len(xs), len(m)),
            (
                f"{h['person']}: {h.get('title') or h.get('role')} of {h['state']}"
                for i, h in enumerate(gold)
                if i not in m
            ),
            (self.label(x) for i, x in enumerate(xs) if i not in set(m.values())),
        )

    # -- events
    def events(self) -> None:
        gold = self.doc.events
        xs: list[Node] = []
        if self.a is not None:  # any node reported in the article whose class is an event class
            cand = self.x.select("SELECT DISTINCT ?e WHERE { ?e pen:reportedIn ?a }", self.a)
            xs = [e for e in cand if self.x.most_specific(self.x.types(e))]
        xtype = [self.x.most_specific(self.x.types(e)) or "" for e in xs]
        xint = [self.x.interval(e) for e in xs]
        xargs = [self.x.arguments(e, self.a) for e in xs if self.a is not None]
        gint = [_event_interval(ev, self.doc.gold_file.name) for ev in gold]
        pairs = []
        for gi, ev in enumerate(gold):
            fam = self.x.event_family.get(ev["type"])
            for xi in range(len(xs)):
                if self.x.event_family.get(xtype[xi]) != fam or not _overlap(gint[gi], xint[xi]):
                    continue
                s = 10.0 * (xtype[xi] == ev["type"]) + 5.0 * (gint[gi] is not None and xint[xi] is not None)
                s += 3.0 * (self.modality(xs[xi]) == ev.get("modality", "Actual"))
                s += self.arg_matches(ev, xargs[xi], skip_about=True)[0]
                pairs.append((s, gi, xi))
        m = _greedy(pairs)
        self.event_match = {str(gold[gi].get("id", gi)): xs[xi] for gi, xi in m.items()}
        matched_x = set(m.values())
        typed = full = 0
        arg = Score()
        for gi, ev in enumerate(gold):
            nargs = self.count_args(ev.get("arguments") or {})
            arg.gold += nargs
            if gi not in m:
                continue
            xi = m[gi]
            hit, _ = self.arg_matches(ev, xargs[xi])
            arg.matched += hit
            same_type = xtype[xi] == ev["type"]
            typed += same_type
            dated = gint[gi] is None or xint[xi] is not None
            if same_type and dated and hit == nargs and self.modality(xs[xi]) == ev.get("modality", "Actual"):
                full += 1
            else:
                self.res.errors.append(
                    f"PARTIAL event {ev.get('id')}: extracted {self.label(xs[xi])} type={xtype[xi]} "
                    f"modality={self.modality(xs[xi])} date={xint[xi]} args {hit}/{nargs}"
                )
        arg.extracted = sum(sum(len(v) for v in a.values()) for a in xargs)
        n = Score(len(gold), len(xs), len(m))
        gl = [
            f"{ev.get('id')} ({ev['type']}, {ev.get('date') or ev.get('start') or 'undated'})"
            for i, ev in enumerate(gold)
            if i not in m
        ]
        xl = [f"{self.label(x)} ({xtype[i]})" for i, x in enumerate(xs) if i not in matched_x]
        self.record("events", n, gl, xl)
        self.res.scores["events_typed"].add(Score(len(gold), len(xs), typed))
        self.res.scores["events_full"].add(Score(len(gold), len(xs), full))
        self.res.scores["event_arguments"].add(arg)

    def modality(self, ev: Node) -> str | None:
        m = self.x.g.value(ev, PEN.modality)
        return self.x.local(m) if m is not None else None

    @staticmethod
    def count_args(args: Mapping[str, Any]) -> int:
        return sum(len(v) if isinstance(v, list) else 1 for v in args.values())

    def arg_matches(
        self, ev: Mapping[str, Any], xargs: Mapping[str, list[Node]], *, skip_about: bool = False
    ) -> tuple[int, int]:
        hit = 0
        for key, val in (ev.get("arguments") or {}).items():
            prop = ARGUMENT_PROPS[key]
            if skip_about and prop == "about":
                continue
            pool = list(xargs.get(prop, []))
            for v in val if isinstance(val, list) else [val]:
                for i, node in enumerate(pool):
                    if self.same(v, node):
                        hit += 1
                        del pool[i]
                        break
        return hit, 0

    # -- claims
    def claims(self) -> None:
        gold = list(self.doc.data.get("claims") or [])
        xs: list[Node] = []
        if self.a is not None:
            q = """SELECT DISTINCT ?e WHERE { ?e pen:statedIn ?a ; a ?t .
                   FILTER(?t IN (pen:Claim, pen:ComplianceClaim)) }"""
            xs = self.x.select(q, self.a)
        g = self.x.g
        pairs = []
        for gi, gc in enumerate(gold):
            target = self.event_match.get(str(gc.get("about")))
            for xi, c in enumerate(xs):
                if target is None or target not in set(g.objects(c, PEN.claimAbout)):
                    continue
                src = g.value(c, PEN.claimedBy)
                score = self.source_score(str(gc["source"]), src)
                if score > 0:
                    pairs.append((score, gi, xi))
        m = _greedy(pairs)
        full = 0
        for gi, xi in m.items():
            gc, c = gold[gi], xs[xi]
            ok = _bool(g.value(c, PEN.polarity), True) == bool(gc.get("polarity", True))
            ok = ok and _bool(g.value(c, PEN.hedged), False) == bool(gc.get("hedged", False))
            if "violates" in gc:
                ok = ok and _bool(g.value(c, PEN.violates), None) == gc["violates"]
            if gc.get("via"):
                ok = ok and any(self.same(gc["via"], v) for v in g.objects(c, PEN.via))
            full += ok
            if not ok:
                self.res.errors.append(
                    f"PARTIAL claim {gc['source']} about {gc['about']}: attributes differ ({self.label(c)})"
                )
        self.record(
            "claims",
            Score(len(gold), len(xs), len(m)),
            (f"{c['source']} about {c.get('about')}" for i, c in enumerate(gold) if i not in m),
            (
                f"{self.label(g.value(c, PEN.claimedBy) or c)} about {self.label(g.value(c, PEN.claimAbout) or c)}"
                for i, c in enumerate(xs)
                if i not in set(m.values())
            ),
        )
        self.res.scores["claims_full"].add(Score(len(gold), len(xs), full))

    def source_score(self, gold_source: str, src: Node | None) -> float:
        if src is None:
            return 0.0
        kind, _, desc = gold_source.partition(":")
        if kind in ("anonymous", "group") and desc:
            types = self.x.types(src)
            anon = _bool(self.x.g.value(src, PEN.anonymous), None)
            if kind == "anonymous" and not ("AnonymousSource" in types or anon is True):
                return 0.0
            if kind == "group" and not (
                "Group" in types or ("AnonymousSource" not in types and anon is False)
            ):
                return 0.0
            words = set().union(
                *(_words(str(o)) for p in (PEN.description, RDFS.label) for o in self.x.g.objects(src, p))
            )
            shared = _words(desc) & words
            return float(len(shared)) if shared else 0.0
        return 2.0 if self.same(gold_source, src) else 0.0

    # -- dates
    def dates(self) -> None:
        gold = list(self.doc.data.get("dates") or [])
        xs: list[tuple[str, tuple[date, date] | None]] = []
        if self.a is not None:
            # a merged event may carry the wording of another article: keep this one's
            text = str(self.x.g.value(self.a, PEN.text) or "").lower()
            q = "SELECT DISTINCT ?e ?t WHERE { ?e pen:reportedIn ?a ; pen:dateText ?t . }"
            for row in self.x.g.query(q, initNs={"pen": PEN}, initBindings={"a": cast(Identifier, self.a)}):
                if str(row[1]).lower() in text:  # type: ignore[index]
                    xs.append((str(row[1]), self.x.interval(row[0])))  # type: ignore[index]
        xs = sorted(set(xs), key=lambda t: (t[0], str(t[1])))
        pairs = []
        for gi, gd in enumerate(gold):
            gw = _date_words(gd["text"])
            gv = _interval(gd.get("value"), self.doc.gold_file.name)
            for xi, (text, xv) in enumerate(xs):
                xw = _date_words(text)
                if not gw or not xw or not (gw <= xw or xw <= gw):
                    continue
                if gv is None or xv is None:
                    ok = gv is None and xv is None
                elif _vague(gd.get("value")):
                    ok = _overlap(gv, xv)
                else:
                    ok = gv == xv
                if ok:
                    pairs.append((1.0 + (gw == xw), gi, xi))
        m = _greedy(pairs)
        self.record(
            "dates",
            Score(len(gold), len(xs), len(m)),
            (f"{d['text']!r} = {d.get('value')}" for i, d in enumerate(gold) if i not in m),
            (f"{t!r} = {v}" for i, (t, v) in enumerate(xs) if i not in set(m.values())),
        )

    def published(self) -> None:
        want = self.doc.data.get("published")
        got = self.x.g.value(self.a, PEN.published) if self.a is not None else None
        ok = (want is None and got is None) or (
            want is not None and got is not None and str(got)[:10] == str(want)
        )
        self.record("published", Score(1, 1, int(ok)), [] if ok else [f"{want} (extracted {got})"], [])


def _date_words(text: str) -> set[str]:
    """Content words of a date expression ('on Sunday' → {'sunday'})."""
    return _words(text)


def _bool(node: Node | None, default: bool | None) -> bool | None:
    if node is None:
        return default
    return str(node).lower() in ("true", "1")


def score_graph(graph: Graph, gold: Sequence[GoldArticle], *, settings: Settings) -> EvalReport:
    """Score an extracted graph (the default-graph union, reference data included) against
    loaded gold documents."""
    onto = ontology_classes(settings)
    ext = _Extracted(graph, onto, settings.base_iri)
    seeds = Path(settings.seeds).resolve()
    results = []
    for doc in gold:
        in_seeds = doc.path is not None and doc.path.resolve().parent == seeds
        res = ArticleResult(doc.article, "seeds" if in_seeds else "own")
        art = ext.article(doc.article)
        if art is None:
            res.errors.append(f"article {doc.article} is not in the extracted graph")
        scorer = _ArticleScorer(doc, ext, art, res)
        scorer.entities()
        scorer.post_holdings()
        scorer.events()  # before claims and dates: they refer to the event alignment
        scorer.claims()
        scorer.dates()
        scorer.published()
        results.append(res)
    return EvalReport(results)


# --------------------------------------------------------------------------------------
# Building the extraction and the whole evaluation


def build_extraction(paths: Sequence[Path], *, settings: Settings) -> Graph:
    """Read and extract ``paths`` with the pipeline's stages and return the default graph a
    build would publish (the set-union of the article graphs, reference data, ontology and
    runs) as one rdflib graph. Nothing is written to the store."""
    from kg import pipeline

    articles, skipped = pipeline.read_all(list(paths), max_bytes=settings.max_article_bytes)
    if skipped:
        raise GoldError("articles not read: " + "; ".join(f"{s.name}: {s.reason}" for s in skipped))
    run = pipeline.current_run()
    base = settings.base_iri
    graphs = {
        pipeline.article_graph_name(a.slug, base): g
        for a, g in pipeline.extract_all(articles, base=base, run=run, progress=False)
    }
    union = Graph()
    for graph in pipeline.assemble(graphs, settings=settings, run=run).values():
        for triple in graph:
            union.add(triple)
    return union


def evaluate(
    gold: Path, *, settings: Settings, graph: Graph | Path | Sequence[Path] | None = None
) -> EvalReport:
    """Load the gold at ``gold`` (file or folder), build its articles with the pipeline (or
    read the extraction from ``graph``: a graph or RDF files), and score it."""
    search = (Path(settings.seeds), Path(__file__).resolve().parent.parent / "tests" / "data" / "articles")
    docs = load_gold(Path(gold), search_dirs=search)
    onto = ontology_classes(settings)
    problems = [p for d in docs for p in validate_gold(d, onto)]
    if problems:
        raise GoldError("invalid gold:\n  " + "\n  ".join(problems))
    if graph is None:
        missing = [d.article for d in docs if d.path is None]
        if missing:
            raise GoldError(f"articles not found: {', '.join(missing)}")
        g = build_extraction([d.path for d in docs if d.path is not None], settings=settings)
    elif isinstance(graph, Graph):
        g = graph
    else:
        g = Graph()
        for f in [graph] if isinstance(graph, Path) else graph:
            if f.suffix in (".trig", ".nq"):  # quads: the union of their graphs
                ds = Dataset()
                ds.parse(f)
                for s, p, o, _c in ds.quads():
                    g.add((s, p, o))
            else:
                g.parse(f)
    return score_graph(g, docs, settings=settings)
