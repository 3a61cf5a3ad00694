"""Validation of a built graph: SHACL shapes (pySHACL) and OWL consistency (HermiT).

The one entry point the pipeline uses is :func:`validate`::

    report = validate(dataset, ontology_dir=settings.ontology_dir)
    if not report.conforms:
        raise ValidationFailedError(report.summary())

``data`` is an ``rdflib.Graph`` or ``rdflib.Dataset``; a dataset is checked as the
set-union of all its graphs (the default graph a build publishes), and each problem names
the graphs in which its focus node is described. Two checks run:

1. **SHACL.** ``<ontology_dir>/shapes.ttl`` against the data, with ``peninsula.ttl`` and
   ``alignments.ttl`` as the ontology graph, so ``sh:targetClass pen:Event`` also reaches a
   ``pen:Summit``. Results of severity ``sh:Violation`` make the report fail; warnings are
   listed but do not.
2. **OWL.** The ontology, its alignments and the data go to HermiT through owlready2 (it
   needs Java). The report fails when the whole is inconsistent or when a class is
   unsatisfiable. HermiT only says *that* the whole is inconsistent, so the report adds
   the likely causes found by a cheap check of disjoint types, functional data properties
   and literal datatypes (:func:`explain_inconsistency`).

HermiT is run with unsupported datatypes ignored: the graph uses ``xsd:date``,
``xsd:gYearMonth`` and ``xsd:gYear``, which are outside the OWL 2 datatype map; the shapes
check those literals instead.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import OWL, RDF, RDFS, SH, XSD, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.util import guess_format

from kg.errors import KGError
from kg.namespaces import PEN

__all__ = [
    "ONTOLOGY_FILES",
    "SHAPES_FILE",
    "ReasonerResult",
    "ReasonerUnavailableError",
    "ShapesError",
    "ValidationInputError",
    "ValidationReport",
    "Violation",
    "dataset_from_store",
    "explain_inconsistency",
    "load_ontology",
    "run_reasoner",
    "run_shacl",
    "union_graph",
    "validate",
    "validate_files",
]

ONTOLOGY_FILES = ("peninsula.ttl", "alignments.ttl")
SHAPES_FILE = "shapes.ttl"


class ValidationInputError(KGError):
    """The data to validate could not be read (unknown format, syntax error, no store)."""


class ShapesError(KGError):
    """The shapes file is not usable SHACL (a bug in ontology/shapes.ttl, not in the data)."""


class ReasonerUnavailableError(KGError):
    """The OWL reasoner cannot run here (no Java). Validation without it is not a pass."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result. Terms are in N3 form with the ``pen:`` prefix shortened."""

    focus: str
    path: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str | None = None
    shape: str | None = None
    component: str | None = None
    graphs: tuple[str, ...] = ()

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value is not None else ""
        graphs = f" [in {', '.join(self.graphs)}]" if self.graphs else ""
        return f"{self.focus}{where}: {self.message}{value}{graphs}"


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT found. ``consistent`` is None when it failed before deciding."""

    consistent: bool | None
    unsatisfiable: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.consistent is True and not self.unsatisfiable and self.error is None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`. ``conforms`` is the verdict a build acts on."""

    conforms: bool
    triples: int
    violations: tuple[Violation, ...] = ()
    shacl_text: str = ""
    reasoner: ReasonerResult | None = None
    shacl_seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity != "Violation")

    def summary(self, max_items: int = 100) -> str:
        """A human-readable report: the verdict, then each SHACL problem, then the reasoner's."""
        lines = [f"Validated {self.triples:,} triples: {'conforms' if self.conforms else 'DOES NOT CONFORM'}"]
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.append(
            f"SHACL ({self.shacl_seconds:.1f} s): {_plural(len(self.errors), 'violation')}, "
            f"{_plural(len(self.warnings), 'warning')}"
        )
        for kind, items in (("violation", self.errors), ("warning", self.warnings)):
            for v in items[:max_items]:
                lines.append(f"  {kind}: {v.line()}")
            if len(items) > max_items:
                lines.append(f"  ... and {len(items) - max_items} more {kind}s")
        r = self.reasoner
        if r is None:
            lines.append("OWL reasoner: not run")
        elif r.error is not None:
            lines.append(f"OWL reasoner (HermiT, {r.seconds:.1f} s): failed: {r.error}")
        else:
            verdict = "consistent" if r.consistent else "INCONSISTENT"
            lines.append(f"OWL reasoner (HermiT, {r.seconds:.1f} s): {verdict}")
            lines.extend(f"  unsatisfiable class: {c}" for c in r.unsatisfiable)
            if not r.consistent:
                if r.causes:
                    lines.extend(f"  likely cause: {c}" for c in r.causes[:max_items])
                else:
                    lines.append("  no simple cause found (no disjoint types, functional or datatype clash)")
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- loading


def load_ontology(ontology_dir: Path) -> Graph:
    """The ontology with its alignments, parsed from ``ontology_dir``."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(Path(ontology_dir) / name, format="turtle")
    return g


def _load_shapes(ontology_dir: Path) -> Graph:
    return Graph().parse(Path(ontology_dir) / SHAPES_FILE, format="turtle")


def union_graph(data: Graph | Dataset) -> Graph:
    """A new graph with the set-union of all graphs of ``data`` (or the triples of a
    Graph). Literals typed xsd:string become plain literals, which RDF 1.1 says they are
    (and the store treats them so), so that one label is not counted twice."""
    union = Graph()
    triples = (
        ((s, p, o) for s, p, o, _g in data.quads((None, None, None, None)))
        if isinstance(data, Dataset)
        else iter(data)
    )
    for s, p, o in triples:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        union.add((s, p, o))
    for prefix, ns in data.namespaces():
        union.bind(prefix, ns, override=False)
    return union


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # A plain literal is an xsd:string literal (RDF 1.1); rdflib writes it without one.
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise ValidationInputError(f"RDF-star triple terms are not supported: {term}")


def _add_quads(ds: Dataset, quads: Iterable[ox.Quad]) -> None:
    """Copy pyoxigraph quads into an rdflib Dataset (rdflib's own quad parsers warn of
    deprecated API in this version, and the test suite treats warnings as errors)."""
    graphs: dict[str, Graph] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            target = ds.default_graph
        else:
            key = str(q.graph_name)
            if key not in graphs:
                graphs[key] = ds.graph(_from_ox(q.graph_name))  # type: ignore[arg-type]
            target = graphs[key]
        target.add((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)))


def dataset_from_store(store: ox.Store) -> Dataset:
    """Every quad of an Oxigraph store, copied into an rdflib Dataset."""
    ds = Dataset()
    _add_quads(ds, store.quads_for_pattern(None, None, None, None))
    return ds


def _read_rdf_file(ds: Dataset, path: Path) -> None:
    """Parse one file into ``ds``: with pyoxigraph when it knows the extension (rdflib's
    JSON-LD and quad parsers warn of deprecated API in this version), else with rdflib.
    Triples of a triple format go into a graph named by the file's URI."""
    file_graph = URIRef(path.resolve().as_uri())
    ox_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
    if ox_format is not None:
        quads = ox.parse(path=str(path), format=ox_format)
        if ox_format.supports_datasets:
            _add_quads(ds, quads)
        else:
            target = ds.graph(file_graph)
            for q in quads:
                target.add((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)))
        return
    fmt = guess_format(str(path))
    if fmt is None or fmt in {"trix", "nquads", "trig"}:
        raise ValidationInputError(f"{path}: cannot tell the RDF format from the file extension")
    ds.graph(file_graph).parse(path, format=fmt)


def validate_files(paths: Sequence[Path], *, ontology_dir: Path, reasoner: bool = True) -> ValidationReport:
    """Validate RDF files together, as one dataset. The format comes from each file's
    extension (``.ttl``, ``.nt``, ``.rdf``/``.owl``, ``.jsonld``, ``.n3``, ``.trig``,
    ``.nq``); triples of a triple format go into a graph named by the file's URI."""
    ds = Dataset()
    for path in map(Path, paths):
        if not path.is_file():
            raise ValidationInputError(f"{path}: no such file")
        try:
            _read_rdf_file(ds, path)
        except ValidationInputError:
            raise
        except Exception as exc:  # the parsers raise many unrelated types for bad syntax
            raise ValidationInputError(f"{path}: not valid RDF: {exc}") from exc
    return validate(ds, ontology_dir=ontology_dir, reasoner=reasoner)


# --------------------------------------------------------------------------- SHACL


def run_shacl(
    data: Graph, *, ontology: Graph, shapes: Graph, bulk_sparql: bool = True
) -> tuple[bool, Graph, str]:
    """pySHACL over ``data`` (one graph) together with the whole ontology, so that class
    targets reach subclasses and ``sh:class`` knows the ontology's individuals (pySHACL's
    own ``ont_graph`` mixing copies only class and property axioms). ``data`` is not
    modified. Returns (no violations, results graph, results text); warnings do not fail.

    With ``bulk_sparql`` the shapes' SPARQL constraints are evaluated once per constraint
    over all focus nodes instead of once per node (see :func:`_bulk_sparql_results`): the
    same results, but in a fraction of the time on a full build."""
    work = Graph()
    for triple in itertools.chain(data, ontology):
        work.add(triple)
    core_shapes, bulk = _split_sparql_constraints(shapes) if bulk_sparql else (shapes, [])
    conforms, results, text = shacl_validate(
        work,
        shacl_graph=core_shapes,
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(results, Graph):  # pySHACL reports broken shapes this way
        raise ShapesError(f"the shapes could not be applied: {text}")
    extra = _bulk_sparql_results(work, shapes, bulk, results)
    if any(severity == SH.Violation for severity, _line in extra):
        conforms = False
        for report in results.subjects(RDF.type, SH.ValidationReport):
            results.set((report, SH.conforms, Literal(False)))
    text = str(text) + "".join(f"\n{line}" for _severity, line in extra)
    return bool(conforms), results, text


# A SPARQL constraint taken out of the shapes for bulk evaluation: its shape, its node in
# the shapes graph, and the shape's focus-node targets.
_BulkConstraint = tuple[Node, Node, list[tuple[URIRef, Node]]]
_SIMPLE_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def _split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[_BulkConstraint]]:
    """The shapes without the SPARQL constraints of node shapes with simple targets, and
    those constraints. pySHACL runs a SPARQL constraint once per focus node, and rdflib
    evaluates each run over the whole graph, so the cost grows with the square of the
    graph; a shape with any other kind of target stays with pySHACL."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    bulk: list[_BulkConstraint] = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        targets = [(p, o) for p, o in shapes.predicate_objects(shape) if p in _SIMPLE_TARGETS]
        other_targets = any(shapes.objects(shape, SH.target))
        if targets and not other_targets and (shape, RDF.type, SH.NodeShape) in shapes:
            core.remove((shape, SH.sparql, constraint))
            bulk.append((shape, constraint, targets))  # type: ignore[arg-type]
    return core, bulk


def _focus_nodes(work: Graph, targets: list[tuple[URIRef, Node]]) -> set[Node]:
    nodes: set[Node] = set()
    for kind, value in targets:
        if kind == SH.targetClass:
            for cls in work.transitive_subjects(RDFS.subClassOf, value):
                nodes.update(work.subjects(RDF.type, cls))
        elif kind == SH.targetSubjectsOf:
            nodes.update(work.subjects(value, None))
        elif kind == SH.targetObjectsOf:
            nodes.update(work.objects(None, value))
        else:
            nodes.add(value)
    return nodes


def _prefix_block(shapes: Graph, constraint: Node) -> str:
    lines = []
    for owner in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(owner, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines) + "\n"


def _bulk_sparql_results(
    work: Graph, shapes: Graph, bulk: list[_BulkConstraint], results: Graph
) -> list[tuple[Node, str]]:
    """Evaluate each SPARQL constraint once with ``$this`` unbound (in SPARQL ``$this`` is
    the variable ``?this``), keep the solutions whose ``this`` is a focus node of the
    shape, and add one sh:ValidationResult per focus node to ``results``. Returns the
    severity and a text line of each result added."""
    added: list[tuple[Node, str]] = []
    report = next(iter(results.subjects(RDF.type, SH.ValidationReport)), None)
    for shape, constraint, targets in bulk:
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        focus = _focus_nodes(work, targets)
        if not focus:
            continue
        query = _prefix_block(shapes, constraint) + str(shapes.value(constraint, SH.select))
        template = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "")
        severity = shapes.value(shape, SH.severity) or SH.Violation
        seen: set[Node] = set()
        for row in work.query(query):
            this = row.this  # type: ignore[union-attr]
            if this not in focus or this in seen:
                continue
            seen.add(this)
            node = BNode()
            message = template.replace("{$this}", str(this)).replace("{?this}", str(this))
            for p, o in (
                (RDF.type, SH.ValidationResult),
                (SH.focusNode, this),
                (SH.value, this),
                (SH.resultSeverity, severity),
                (SH.sourceShape, shape),
                (SH.sourceConstraint, constraint),
                (SH.sourceConstraintComponent, SH.SPARQLConstraintComponent),
                (SH.resultMessage, Literal(message)),
            ):
                results.add((node, p, o))
            if report is not None:
                results.add((report, SH.result, node))
            added.append(
                (
                    severity,
                    f"Constraint {str(severity).rsplit('#', 1)[-1]} in SPARQLConstraintComponent:"
                    f" focus {this.n3()}: {message}",
                )
            )
    return added


def _violations(results: Graph, data: Graph | Dataset, namer: Graph) -> tuple[Violation, ...]:
    graphs_of = _graph_index(data)
    found: list[Violation] = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        severity = results.value(r, SH.resultSeverity)
        value = results.value(r, SH.value)
        component = results.value(r, SH.sourceConstraintComponent)
        found.append(
            Violation(
                focus=_name(focus, namer),
                path=_path_name(results, path, namer) if path is not None else None,
                message=str(results.value(r, SH.resultMessage) or "(no message)"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=_name(value, namer) if value is not None else None,
                shape=_name(results.value(r, SH.sourceShape), namer),
                component=str(component).rsplit("#", 1)[-1] if component else None,
                graphs=tuple(sorted(graphs_of(focus))) if focus is not None else (),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return tuple(sorted(found, key=lambda v: (order.get(v.severity, 3), v.focus, v.path or "", v.message)))


def _graph_index(data: Graph | Dataset) -> Callable[[Node | None], set[str]]:
    """A function from a node to the named graphs that describe it (empty for a Graph)."""

    def graphs(node: Node | None) -> set[str]:
        if not isinstance(data, Dataset) or node is None:
            return set()
        out: set[str] = set()
        for _s, _p, _o, g in data.quads((node, None, None, None)):
            ident = getattr(g, "identifier", g)
            if ident is not None and ident != URIRef("urn:x-rdflib:default"):
                out.add(f"<{ident}>")
        return out

    return graphs


def _name(node: Node | None, namer: Graph) -> str:
    if node is None:
        return "(none)"
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, Literal):
        text = node.n3()
        return text if len(text) <= 80 else text[:77] + '..."'
    return node.n3(namer.namespace_manager)


def _path_name(results: Graph, path: Node, namer: Graph) -> str:
    if isinstance(path, BNode):
        alternatives = results.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_name(p, namer) for p in Collection(results, alternatives))
        inverse = results.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _name(inverse, namer)
    return _name(path, namer)


# --------------------------------------------------------------------------- OWL


def run_reasoner(data: Graph, *, ontology: Graph) -> ReasonerResult:
    """HermiT (via owlready2) over the ontology plus ``data``: consistency and unsatisfiable
    classes. Raises ReasonerUnavailableError when Java is missing."""
    if shutil.which(owlready2.JAVA_EXE) is None:
        raise ReasonerUnavailableError(
            f"the OWL reasoner needs Java ('{owlready2.JAVA_EXE}' not found on PATH); "
            "install a JRE (scripts/install-system-deps.sh does) and try again"
        )
    merged = Graph()
    merged.bind("pen", PEN)
    for triple in itertools.chain(ontology, data):
        # owlready2 would fetch imported ontologies over the network; everything it
        # needs is already here.
        if triple[1] != OWL.imports:
            merged.add(triple)
    started = time.monotonic()
    world = owlready2.World()
    try:
        with tempfile.TemporaryDirectory(prefix="peninsula-owl-") as tmp:
            nt = Path(tmp) / "input.nt"
            merged.serialize(nt, format="nt", encoding="utf-8")
            world.get_ontology(nt.as_uri()).load()
            try:
                owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
            except owlready2.OwlReadyInconsistentOntologyError:
                return ReasonerResult(
                    consistent=False,
                    causes=tuple(explain_inconsistency(merged)),
                    seconds=time.monotonic() - started,
                )
            except owlready2.OwlReadyJavaError as exc:
                return ReasonerResult(
                    consistent=None, error=_first_lines(str(exc)), seconds=time.monotonic() - started
                )
            unsat = sorted(
                _name(URIRef(c.iri), ontology)
                for c in world.inconsistent_classes()
                if c.iri != str(OWL.Nothing)
            )
            return ReasonerResult(
                consistent=True, unsatisfiable=tuple(unsat), seconds=time.monotonic() - started
            )
    finally:
        world.close()


def _first_lines(text: str, n: int = 6) -> str:
    return " / ".join(line.strip() for line in text.strip().splitlines()[:n] if line.strip())


def _superclasses(ontology: Graph) -> dict[Node, set[Node]]:
    """Reflexive-transitive named superclasses of every named class."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for c, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(sup, URIRef):
            direct[c].add(sup)
    for c, eq in ontology.subject_objects(OWL.equivalentClass):
        if isinstance(c, URIRef) and isinstance(eq, URIRef):
            direct[c].add(eq)
            direct[eq].add(c)
    closed: dict[Node, set[Node]] = {}

    def up(c: Node) -> set[Node]:
        if c not in closed:
            closed[c] = {c}
            for s in direct.get(c, ()):
                closed[c] |= up(s)
        return closed[c]

    for c in list(direct):
        up(c)
    return defaultdict(set, closed)


def _disjoint_pairs(ontology: Graph) -> set[frozenset[Node]]:
    pairs: set[frozenset[Node]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(node, OWL.members)
        if members is not None:
            for a, b in itertools.combinations(list(Collection(ontology, members)), 2):
                pairs.add(frozenset((a, b)))
    return pairs


def _super_properties(g: Graph) -> dict[Node, set[Node]]:
    direct: dict[Node, set[Node]] = defaultdict(set)
    for p, sup in g.subject_objects(RDFS.subPropertyOf):
        direct[p].add(sup)
    closed: dict[Node, set[Node]] = {}

    def up(p: Node) -> set[Node]:
        if p not in closed:
            closed[p] = {p}
            for s in direct.get(p, ()):
                closed[p] |= up(s)
        return closed[p]

    return defaultdict(set, {p: up(p) for p in list(direct)})


_NUMERIC_DECIMAL = {
    XSD.decimal,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.nonPositiveInteger,
    XSD.negativeInteger,
    XSD.long,
    XSD.int,
    XSD.short,
    XSD.byte,
    XSD.unsignedLong,
    XSD.unsignedInt,
    XSD.unsignedShort,
    XSD.unsignedByte,
}


def _literal_fits(lit: Literal, rng: Node) -> bool:
    """Whether a literal can belong to a datatype range (only the clashes HermiT sees)."""
    dt = lit.datatype or (None if lit.language else XSD.string)
    if rng == RDFS.Literal or dt == rng:
        return True
    if rng == XSD.decimal:
        return dt in _NUMERIC_DECIMAL
    if rng in _NUMERIC_DECIMAL:
        if dt not in _NUMERIC_DECIMAL:
            return False
        try:
            value = int(lit.toPython())
        except (TypeError, ValueError):
            return False
        return value >= 0 if rng in {XSD.nonNegativeInteger, XSD.unsignedLong} else True
    if rng == XSD.string:
        return dt == XSD.string and not lit.language
    return rng not in {XSD.boolean, XSD.anyURI, XSD.double, XSD.float}


def explain_inconsistency(g: Graph) -> list[str]:
    """Likely causes of an OWL inconsistency in ``g`` (ontology and data together):
    individuals whose types (asserted, or implied by property domains and ranges) are
    declared disjoint; functional data properties with two values; literals outside a
    property's datatype range. Not a proof: a hint for the person reading the report."""
    supers = _superclasses(g)
    disjoint = _disjoint_pairs(g)
    sub_props = _super_properties(g)
    domains: dict[Node, set[Node]] = defaultdict(set)
    ranges: dict[Node, set[Node]] = defaultdict(set)
    for p, d in g.subject_objects(RDFS.domain):
        domains[p].add(d)
    for p, r in g.subject_objects(RDFS.range):
        ranges[p].add(r)
    datatype_props = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    functional = set(g.subjects(RDF.type, OWL.FunctionalProperty))
    classes = set(g.subjects(RDF.type, OWL.Class))

    def props_up(p: Node) -> set[Node]:
        return sub_props.get(p, {p})

    types: dict[Node, dict[Node, str]] = defaultdict(dict)  # node → class → why
    causes: list[str] = []
    values: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for s, p, o in g:
        if p == RDF.type:
            if o in classes or o in supers:
                types[s].setdefault(o, "asserted")
            continue
        for q in props_up(p):
            for d in domains.get(q, ()):
                types[s].setdefault(d, f"domain of {_name(q, g)}")
            if isinstance(o, Literal):
                if q in functional:
                    values[(s, q)].add(o)
                for r in ranges.get(q, ()):
                    if not _literal_fits(o, r):
                        causes.append(
                            f"{_name(s, g)} {_name(p, g)} {_name(o, g)}: the value is outside "
                            f"the range {_name(r, g)} of {_name(q, g)}"
                        )
            elif q not in datatype_props:
                for r in ranges.get(q, ()):
                    types[o].setdefault(r, f"range of {_name(q, g)}")
    for (s, q), vals in values.items():
        if len(vals) > 1 and len({v.toPython() for v in vals if isinstance(v, Literal)}) > 1:
            shown = ", ".join(sorted(_name(v, g) for v in vals))
            causes.append(f"{_name(s, g)} has {len(vals)} values of the functional {_name(q, g)}: {shown}")
    for node, direct in types.items():
        if node in classes:
            continue
        full: dict[Node, str] = {}
        for c, why in direct.items():
            for sup in supers.get(c, {c}) | {c}:
                full.setdefault(sup, f"{_name(c, g)} ({why})")
        for a, b in itertools.combinations(sorted(full, key=str), 2):
            if frozenset((a, b)) in disjoint:
                causes.append(
                    f"{_name(node, g)} is both {_name(a, g)} and {_name(b, g)}, which are disjoint "
                    f"(via {full[a]} and {full[b]})"
                )
    return sorted(set(causes))


# --------------------------------------------------------------------------- entry point


def validate(data: Graph | Dataset, *, ontology_dir: Path, reasoner: bool = True) -> ValidationReport:
    """Check ``data`` against the shapes and, unless ``reasoner`` is False, the OWL reasoner.

    ``data``: the graph to check; a Dataset is checked as the union of its graphs.
    ``ontology_dir``: folder holding ``peninsula.ttl``, ``alignments.ttl`` and
    ``shapes.ttl`` (the setting ``ontology_dir``).
    Returns a :class:`ValidationReport`; ``report.conforms`` is False when any SHACL result
    of severity Violation is found, the whole is inconsistent, a class is unsatisfiable,
    or HermiT fails. Raises ReasonerUnavailableError when the reasoner is asked for and
    Java is missing. Never modifies ``data``.
    """
    ontology = load_ontology(ontology_dir)
    shapes = _load_shapes(ontology_dir)
    union = union_graph(data)
    namer = Graph()
    namer.bind("pen", PEN)
    for prefix, ns in union.namespaces():
        if prefix and prefix != "pen":
            namer.bind(prefix, ns, override=False)

    started = time.monotonic()
    shacl_ok, results, text = run_shacl(union, ontology=ontology, shapes=shapes)
    shacl_seconds = time.monotonic() - started
    violations = _violations(results, data, namer)

    owl: ReasonerResult | None = run_reasoner(union, ontology=ontology) if reasoner else None
    notes = () if reasoner else ("the OWL reasoner was not run",)
    conforms = shacl_ok and not any(v.severity == "Violation" for v in violations)
    if owl is not None:
        conforms = conforms and owl.ok
    return ValidationReport(
        conforms=conforms,
        triples=len(union),
        violations=violations,
        shacl_text=text,
        reasoner=owl,
        shacl_seconds=shacl_seconds,
        notes=notes,
    )
