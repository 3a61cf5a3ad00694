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

The modules of the evaluation: :mod:`kg.evaluation.gold` loads and checks the gold, :mod:`kg.evaluation.graph`
reads the extraction, this module aligns and scores them, and :mod:`kg.evaluation.report` sums
and renders the scores.

It stays one module (over 400 lines): the alignment of each fact type and its score are one
per-article scorer that shares the article's matched entities between the fact types.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from rdflib import RDFS, Dataset, Graph, Literal
from rdflib.term import Identifier, Node

from kg.build import pipeline
from kg.build.processing import process_articles
from kg.evaluation.gold import (
    ARGUMENT_PROPS,
    DayInterval,
    GoldArticle,
    GoldError,
    date_interval,
    event_interval,
    is_vague,
    load_gold,
    ontology_classes,
    overlaps,
    validate_gold,
)
from kg.evaluation.graph import ExtractedGraph, content_words, norm
from kg.evaluation.report import ArticleResult, EvalReport, Score
from kg.namespaces import PEN
from kg.settings import Settings

__all__ = ["build_extraction", "evaluate", "score_graph"]

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
        self, doc: GoldArticle, ext: ExtractedGraph, article: Node | None, result: ArticleResult
    ) -> None:
        self.doc, self.x, self.a, self.res = doc, ext, article, result
        self.gold_entities = {e["name"]: e for e in doc.entities}
        self.event_match: dict[str, Node] = {}
        self.entity_match: dict[str, Node] = {}  # gold entity name → extracted node

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
        self.entity_match = {gold[gi]["name"]: xs[xi] for gi, xi in m.items()}
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
                # a post in a body of a state ('spokesman of the White House') is a post of
                # that state: the body's pen:partOf chain names it
                states = [
                    t
                    for s in g.objects(post, PEN.postIn)
                    for t in g.transitive_objects(s, PEN.partOf)
                    if t is not None
                ]
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
        gint = [event_interval(ev, self.doc.gold_file.name) for ev in gold]
        pairs = []
        for gi, ev in enumerate(gold):
            fam = self.x.event_family.get(ev["type"])
            for xi in range(len(xs)):
                if self.x.event_family.get(xtype[xi]) != fam or not overlaps(gint[gi], xint[xi]):
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
            # about an event, or about an entity whose existence or properties the source tells
            about = str(gc.get("about"))
            target = self.event_match.get(about, self.entity_match.get(about))
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
                *(
                    content_words(str(o))
                    for p in (PEN.description, RDFS.label)
                    for o in self.x.g.objects(src, p)
                )
            )
            shared = content_words(desc) & words
            return float(len(shared)) if shared else 0.0
        return 2.0 if self.same(gold_source, src) else 0.0

    # -- dates
    def dates(self) -> None:
        gold = list(self.doc.data.get("dates") or [])
        xs: list[tuple[str, DayInterval | None]] = []
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
            gv = date_interval(gd.get("value"), self.doc.gold_file.name)
            for xi, (text, xv) in enumerate(xs):
                xw = _date_words(text)
                if not gw or not xw or not (gw <= xw or xw <= gw):
                    continue
                if gv is None or xv is None:
                    ok = gv is None and xv is None
                elif is_vague(gd.get("value")):
                    ok = overlaps(gv, xv)
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
    return content_words(text)


def _bool(node: Node | None, default: bool | None) -> bool | None:
    if node is None:
        return default
    return str(node).lower() in ("true", "1")


def score_graph(graph: Graph, gold: Sequence[GoldArticle], *, settings: Settings) -> EvalReport:
    """Score an extracted graph (the default-graph union, reference data included) against
    loaded gold documents."""
    onto = ontology_classes(settings)
    ext = ExtractedGraph(graph, onto, settings.base_iri)
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
    runs) as one rdflib graph. Nothing is written to the store. An article whose extraction
    fails is reported on stderr and scored as one of which nothing was extracted."""
    articles, skipped = pipeline.read_all(list(paths), max_bytes=settings.max_article_bytes)
    if skipped:
        raise GoldError("articles not read: " + "; ".join(f"{s.name}: {s.reason}" for s in skipped))
    run = pipeline.current_run()
    base = settings.base_iri
    graphs = {}
    factory = functools.partial(pipeline.processor, base, run, None)
    for outcome in process_articles(articles, factory):
        if outcome.ok:
            graphs[pipeline.article_graph_name(outcome.slug, base)] = outcome.graph()
        else:  # scored as an article of which nothing was extracted, and said
            print(f"kg eval: {outcome.slug}: extraction failed: {outcome.reason}", file=sys.stderr)
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
    search = (Path(settings.seeds), Path(__file__).resolve().parents[2] / "tests" / "data" / "articles")
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
