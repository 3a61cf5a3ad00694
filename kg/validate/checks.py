"""Validation that follows the change: each article graph alone, then the nodes articles
share, then OWL consistency per batch (docs/decisions/0010).

A build or an ingest never validates the whole dataset at once. Three checks, each with a
reason why it is enough:

1. :meth:`GraphChecks.article` — the SHACL shapes on one article graph, with the ontology,
   the reference data and the runs graph as context (so ``sh:class pen:State`` knows that
   North Korea is a state), and only the nodes the article describes as focus nodes. Every
   shape of ours is about one node and its neighbours, and an article graph holds
   everything it says of its nodes, so a graph that passes alone passes in the union —
   except where several graphs describe one node.
2. :meth:`GraphChecks.shared` — the nodes that several article graphs describe (events
   reported by several articles, entities minted by name in several): the shapes again,
   over the union of what every graph says of them. IRIs are built so that merging
   cannot break a shape (an event IRI holds its date, disagreeing dates are separated by
   :mod:`kg.build.disagreements`, minted IRIs hold their family); this check is the net that
   proves it on every build, and names the graphs to quarantine if it ever fails.
3. :meth:`GraphChecks.consistent` — HermiT on the ontology, the reference data and a batch
   of article graphs. When a batch is inconsistent it is split in halves until the
   articles that make it so are found, so one bad article costs a few more reasoner runs,
   never the build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, SH, Graph, URIRef
from rdflib.term import Node

from kg.namespaces import PEN
from kg.validate.graph import SHAPES_FILE, ShapesError, load_ontology, union_graph
from kg.validate.owl_native import OwlCheck
from kg.validate.reasoner import run_reasoner
from kg.validate.shacl_bulk import BulkConstraint, bulk_sparql_results, split_sparql_constraints
from kg.validate.shacl_native import NativeShapes, _View
from kg.validate.term_names import term_name

__all__ = ["GraphChecks", "Problem", "problem_lines", "shared_nodes"]


@dataclass(frozen=True, order=True)
class Problem:
    """One SHACL violation: the node (and its short name), and the message with the value."""

    focus: str
    message: str
    node: Node = field(compare=False)

    def line(self) -> str:
        """The problem as one line of a report: the focus node, then the message."""
        return f"{self.focus}: {self.message}"


def shared_nodes(graphs: Iterable[Graph]) -> set[Node]:
    """The IRIs that are the subject of triples in more than one of ``graphs``."""
    seen: set[Node] = set()
    shared: set[Node] = set()
    for graph in graphs:
        for subject in set(graph.subjects()):
            if isinstance(subject, URIRef):
                (shared if subject in seen else seen).add(subject)
    return shared


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


@dataclass
class GraphChecks:
    """The shapes and the ontology of ``ontology_dir``, with ``context`` (the reference
    and runs graphs) loaded once: build one per process and check many graphs."""

    ontology_dir: Path
    context: Graph
    reasoner: bool = True
    engine: str = "native"  # or "reference": pySHACL and HermiT on every check (docs/decisions/0013)
    _ontology: Graph = field(init=False, repr=False)
    _shapes: Graph = field(init=False, repr=False)
    _core: Graph = field(init=False, repr=False)
    _bulk: list[BulkConstraint] = field(init=False, repr=False)
    _work: Graph = field(init=False, repr=False)
    _native: NativeShapes = field(init=False, repr=False)
    _owl: OwlCheck = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._ontology = load_ontology(Path(self.ontology_dir))
        self._shapes = Graph().parse(Path(self.ontology_dir) / SHAPES_FILE, format="turtle")
        self._core, self._bulk = split_sparql_constraints(self._shapes)
        self._work = Graph()
        for triple in self._ontology:
            self._work.add(triple)
        for triple in union_graph(self.context):
            self._work.add(triple)
        self._work.bind("pen", PEN)
        self._native = NativeShapes(self._shapes, self._work)
        self._owl = OwlCheck(self._ontology, union_graph(self.context))

    # -- SHACL -------------------------------------------------------------------------------

    def _validate(self, data: Graph, focus: Sequence[Node], ntriples: bytes | None = None) -> list[Problem]:
        """The violations of the shapes over the context plus ``data``, for the ``focus``
        nodes only (``ntriples``: ``data`` as N-Triples, when the caller has it)."""
        if not focus:
            return []
        if self.engine == "reference":
            return self._validate_pyshacl(data, focus)
        return self._validate_native(self._native.view(data), focus, ntriples or _ntriples(data))

    def _validate_native(self, view: _View, focus: Sequence[Node], ntriples: bytes) -> list[Problem]:
        namer = self._work
        problems = []
        for result in self._native.check(view, focus):
            if result.severity != SH.Violation:
                continue
            message = result.message or "(no message)"
            if result.value is not None and result.value != result.focus:
                message += f" (value {term_name(result.value, namer)})"
            problems.append(Problem(term_name(result.focus, namer), message, result.focus))
        focus_set = set(focus)
        for node, shape, message in self._native.sparql_failures(
            view, ntriples, focus, self._bulk, self._shapes
        ):
            if node in focus_set and (self._shapes.value(shape, SH.severity) or SH.Violation) == SH.Violation:
                problems.append(Problem(term_name(node, namer), message, node))
        return sorted(set(problems))

    def _validate_pyshacl(self, data: Graph, focus: Sequence[Node]) -> list[Problem]:
        """As :meth:`_validate`, with pySHACL. The shared working graph gets ``data``'s new
        triples for the run and loses them after."""
        focus_set = set(focus)
        added = [t for t in union_graph(data) if t not in self._work]
        for triple in added:
            self._work.add(triple)
        try:
            _conforms, results, text = shacl_validate(
                self._work,
                shacl_graph=self._core,
                inference="none",
                inplace=True,
                abort_on_first=False,
                allow_warnings=True,
                allow_infos=True,
                focus_nodes=[URIRef(str(n)) for n in focus],
            )
            if not isinstance(results, Graph):
                raise ShapesError(f"the shapes could not be applied: {text}")
            # The SPARQL constraints are about a node and its own article's text, offsets
            # and dates: evaluated over the data alone, for the focus nodes only.
            bulk_sparql_results(self._work, self._shapes, self._bulk, results, data=data)
        finally:
            for triple in added:
                self._work.remove(triple)
        problems = []
        for result in results.subjects(RDF.type, SH.ValidationResult):
            if results.value(result, SH.resultSeverity) not in (None, SH.Violation):
                continue
            focus_node = results.value(result, SH.focusNode)
            if focus_node not in focus_set:
                continue
            message = str(results.value(result, SH.resultMessage) or "(no message)")
            value = results.value(result, SH.value)
            if value is not None and value != focus_node:
                message += f" (value {term_name(value, self._work)})"
            problems.append(Problem(term_name(focus_node, self._work), message, focus_node))
        return sorted(set(problems))

    def article(self, graph: Graph, ntriples: bytes | None = None) -> list[Problem]:
        """The SHACL violations of one article graph (``ntriples``: the same graph as
        N-Triples, when the caller has it), for the nodes it describes."""
        if self.engine == "reference":
            focus = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
            return self._validate(graph, focus)
        view = self._native.view(graph)
        focus = sorted((s for s in view.subjects if isinstance(s, URIRef)), key=str)
        return self._validate_native(view, focus, ntriples or _ntriples(graph)) if focus else []

    def shared(self, graphs: Mapping[URIRef, Graph], nodes: Iterable[Node]) -> dict[URIRef, list[Problem]]:
        """The SHACL violations of ``nodes`` over the union of what ``graphs`` say of them
        (and the types of what they point to), by the graphs that describe each failing
        node; empty when they pass."""
        nodes = sorted(set(nodes), key=str)
        if not nodes:
            return {}
        wanted = set(nodes)
        data = Graph()
        for graph in graphs.values():
            for s, p, o in graph:
                if s in wanted:
                    data.add((s, p, o))
                    for t in graph.objects(o, RDF.type):
                        data.add((o, RDF.type, t))
        problems = self._validate(data, nodes)
        out: dict[URIRef, list[Problem]] = {}
        for problem in problems:
            for name, graph in graphs.items():
                if (problem.node, None, None) in graph:
                    out.setdefault(name, []).append(problem)
        return out

    # -- OWL ---------------------------------------------------------------------------------

    def consistent(self, graphs: Sequence[Iterable[tuple[Node, Node, Node]]]) -> bool:
        """Whether the ontology, the context and ``graphs`` are consistent: decided by
        :class:`kg.validate.owl_native.OwlCheck` (by HermiT with the engine "reference"). True when
        the reasoner is switched off."""
        if not self.reasoner:
            return True
        if self.engine != "reference":
            return not self._owl.clashes(t for graph in graphs for t in graph)
        return self.hermit(graphs)

    def hermit(self, graphs: Sequence[Iterable[tuple[Node, Node, Node]]] = ()) -> bool:
        """Whether HermiT finds the ontology, the context and ``graphs`` consistent, with
        no unsatisfiable class (run once per build on the ontology and the context)."""
        data = Graph()
        for triple in self.context:
            data.add(triple)
        for graph in graphs:
            for triple in graph:
                data.add(triple)
        return run_reasoner(data, ontology=self._ontology).ok

    def inconsistent(self, graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> list[URIRef]:
        """The graphs that make the batch inconsistent, found by splitting it in halves
        (a graph inconsistent only beside another is found beside it, and both are
        named). Empty when the batch is consistent."""
        names = sorted(graphs, key=str)
        if not names or self.consistent([graphs[n] for n in names]):
            return []
        return self._culprits(names, graphs)

    def _culprits(
        self, names: list[URIRef], graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]
    ) -> list[URIRef]:
        if len(names) == 1:
            return names
        half = len(names) // 2
        left, right = names[:half], names[half:]
        left_ok = self.consistent([graphs[n] for n in left])
        right_ok = self.consistent([graphs[n] for n in right])
        if left_ok and right_ok:
            return names  # only together: the pair (or group) is named as a whole
        found: list[URIRef] = []
        if not left_ok:
            found += self._culprits(left, graphs)
        if not right_ok:
            found += self._culprits(right, graphs)
        return found


def problem_lines(problems: Sequence[Problem], limit: int = 5) -> str:
    """The first ``limit`` problems as one line each, and how many more there are."""
    lines = [p.line() for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more")
    return "; ".join(lines)
