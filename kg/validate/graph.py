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

This module holds the entry points, the report and the SHACL run. The OWL check lives in
:mod:`kg.validate.reasoner` and the bulk evaluation of the shapes' SPARQL constraints in
:mod:`kg.validate.shacl_bulk`; ``ReasonerResult``, ``ReasonerUnavailableError``, ``run_reasoner`` and
``explain_inconsistency`` are re-exported here, so callers import them from ``kg.validate.graph``.

HermiT is run with unsupported datatypes ignored: the graph uses ``xsd:date``,
``xsd:gYearMonth`` and ``xsd:gYear``, which are outside the OWL 2 datatype map; the shapes
check those literals instead.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, SH, XSD, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.util import guess_format

from kg.errors import KGError
from kg.namespaces import PEN
from kg.rdf.terms import from_ox
from kg.validate.reasoner import ReasonerResult, ReasonerUnavailableError, explain_inconsistency, run_reasoner
from kg.validate.shacl_bulk import bulk_sparql_results, split_sparql_constraints
from kg.validate.term_names import term_name

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
        """The violation as one line of a report: focus node, path, message, value and graphs."""
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value is not None else ""
        graphs = f" [in {', '.join(self.graphs)}]" if self.graphs else ""
        return f"{self.focus}{where}: {self.message}{value}{graphs}"


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
    """``kg.rdf.terms.from_ox`` with plain strings (as rdflib parses files), and an RDF-star
    triple term refused as bad input."""
    try:
        return from_ox(term, plain_strings=True)
    except TypeError as exc:
        raise ValidationInputError(str(exc)) from None


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
    over all focus nodes instead of once per node (see
    :func:`kg.validate.shacl_bulk.bulk_sparql_results`): the same results, but in a fraction of the
    time on a full build."""
    work = Graph()
    for triple in itertools.chain(data, ontology):
        work.add(triple)
    core_shapes, bulk = split_sparql_constraints(shapes) if bulk_sparql else (shapes, [])
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
    extra = bulk_sparql_results(work, shapes, bulk, results)
    if any(severity == SH.Violation for severity, _line in extra):
        conforms = False
        for report in results.subjects(RDF.type, SH.ValidationReport):
            results.set((report, SH.conforms, Literal(False)))
    text = str(text) + "".join(f"\n{line}" for _severity, line in extra)
    return bool(conforms), results, text


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
                focus=term_name(focus, namer),
                path=_path_name(results, path, namer) if path is not None else None,
                message=str(results.value(r, SH.resultMessage) or "(no message)"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=term_name(value, namer) if value is not None else None,
                shape=term_name(results.value(r, SH.sourceShape), namer),
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


def _path_name(results: Graph, path: Node, namer: Graph) -> str:
    if isinstance(path, BNode):
        alternatives = results.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(term_name(p, namer) for p in Collection(results, alternatives))
        inverse = results.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + term_name(inverse, namer)
    return term_name(path, namer)


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
