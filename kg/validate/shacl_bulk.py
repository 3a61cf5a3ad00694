"""Bulk evaluation of the shapes' SPARQL constraints, for :func:`kg.validate.graph.run_shacl`.

pySHACL runs a SPARQL constraint once per focus node, and rdflib evaluates each run over the
whole graph, so the cost grows with the square of the graph. :func:`split_sparql_constraints`
takes the SPARQL constraints of node shapes with simple targets out of the shapes, and
:func:`bulk_sparql_results` evaluates each of them once over all focus nodes, adding the
same results pySHACL would give to its results graph.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, Node, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

__all__ = ["BulkConstraint", "bulk_sparql_results", "constraint_query", "split_sparql_constraints"]


# A SPARQL constraint taken out of the shapes for bulk evaluation: its shape, its node in
# the shapes graph, and the shape's focus-node targets.
BulkConstraint = tuple[Node, Node, list[tuple[URIRef, Node]]]
_SIMPLE_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[BulkConstraint]]:
    """The shapes without the SPARQL constraints of node shapes with simple targets, and
    those constraints. pySHACL runs a SPARQL constraint once per focus node, and rdflib
    evaluates each run over the whole graph, so the cost grows with the square of the
    graph; a shape with any other kind of target stays with pySHACL."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    bulk: list[BulkConstraint] = []
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


def constraint_query(shapes: Graph, constraint: Node) -> str:
    """The SELECT query of a SPARQL constraint, with the prefixes it declares."""
    return _prefix_block(shapes, constraint) + str(shapes.value(constraint, SH.select))


def _prefix_block(shapes: Graph, constraint: Node) -> str:
    lines = []
    for owner in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(owner, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=64)
def _prepared(query: str) -> Query:
    """A constraint's query, parsed once per process (parsing costs more than running it
    on one article's graph)."""
    return prepareQuery(query)


def bulk_sparql_results(
    work: Graph, shapes: Graph, bulk: list[BulkConstraint], results: Graph, data: Graph | None = None
) -> list[tuple[Node, str]]:
    """Evaluate each SPARQL constraint once with ``$this`` unbound (in SPARQL ``$this`` is
    the variable ``?this``), keep the solutions whose ``this`` is a focus node of the
    shape, and add one sh:ValidationResult per focus node to ``results``. Returns the
    severity and a text line of each result added. With ``data``, the focus nodes come
    from ``work`` (which holds the class hierarchy) and the queries run over ``data``
    alone (the constraints are about a node's own triples)."""
    added: list[tuple[Node, str]] = []
    report = next(iter(results.subjects(RDF.type, SH.ValidationReport)), None)
    for shape, constraint, targets in bulk:
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        focus = _focus_nodes(work, targets)
        if not focus:
            continue
        query = constraint_query(shapes, constraint)
        template = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "")
        severity = shapes.value(shape, SH.severity) or SH.Violation
        seen: set[Node] = set()
        for row in (work if data is None else data).query(_prepared(query)):
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
