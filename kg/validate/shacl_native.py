"""SHACL Core, evaluated in this process for the shapes this project writes, a hundred times
faster than pySHACL on one article graph (docs/decisions/0013).

pySHACL is the reference: ``kg validate`` and the whole-dataset checks use it. A build checks
every article graph on its own, where pySHACL's cost (about a third of a millisecond per
triple, spent in rdflib's graph walks and its per-shape set-up) was most of the build. This
module reads the shapes graph once into plain tables and checks one article graph against
them over two indexes: the article's triples and the context's (ontology, reference data,
runs), built once. It supports the constraint components our shapes use —

- targets: ``sh:targetClass`` (instances of subclasses included, as SHACL says),
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``;
- paths: a predicate or an ``sh:alternativePath`` of predicates;
- on each value: ``sh:datatype`` (ill-typed literals fail), ``sh:class``, ``sh:nodeKind``,
  ``sh:in``, ``sh:minInclusive``/``sh:maxInclusive``/``sh:minExclusive``/``sh:maxExclusive``,
  ``sh:pattern``/``sh:flags``, ``sh:languageIn``, ``sh:or`` of such value shapes;
- on the values together: ``sh:minCount``, ``sh:maxCount``, ``sh:hasValue``,
  ``sh:lessThanOrEquals``, ``sh:uniqueLang``; on a node: any of the above and ``sh:or`` of node shapes

— and refuses, when it reads the shapes, any other (:class:`UnsupportedShapeError`), so a
shape added later can never be skipped in silence. ``tests/test_kg/test_shacl_native.py``
checks that it reports what pySHACL reports, on every article graph of the test sets and on
thousands of mutations of them. SPARQL-based constraints are not its business: they stay
with :mod:`kg.validate.shacl_bulk`.

It stays one module (over 400 lines): the shapes reader, the indexes and the constraint
checks are one evaluator, tested as one against pySHACL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.rdf.terms import from_ox
from kg.validate.shacl_bulk import BulkConstraint, constraint_query

__all__ = ["Index", "NativeShapes", "Result", "UnsupportedShapeError"]

Index = dict[Node, dict[Node, set[Node]]]

# rdflib's Namespace attributes cost a lookup each; the hot paths use these names.
_TARGET_CLASS, _SUBJECTS_OF, _OBJECTS_OF, _TARGET_NODE = (
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
)
_DATATYPE, _CLASS, _NODE_KIND, _IN, _PATTERN, _OR = (
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH["or"],
)
_LANGUAGE_IN, _UNIQUE_LANG = SH.languageIn, SH.uniqueLang
_MIN_COUNT, _MAX_COUNT, _HAS_VALUE, _LESS_OR_EQUAL = (
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.lessThanOrEquals,
)
_TYPE, _SUBCLASS, _STRING, _LANG_STRING = RDF.type, RDFS.subClassOf, XSD.string, RDF.langString
_BOUNDS = {
    SH.minInclusive: lambda v, b: v >= b,
    SH.maxInclusive: lambda v, b: v <= b,
    SH.minExclusive: lambda v, b: v > b,
    SH.maxExclusive: lambda v, b: v < b,
}

# What a shape may say besides its constraints.
_DESCRIPTIVE = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, RDF.type, SH.sparql}
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_VALUE_COMPONENTS = {
    SH.datatype,
    SH.languageIn,
    SH["class"],
    SH.nodeKind,
    SH["in"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.pattern,
    SH["or"],
}
_SET_COMPONENTS = {SH.minCount, SH.maxCount, SH.hasValue, SH.lessThanOrEquals, SH.uniqueLang}
_NODE_KINDS = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.IRIOrLiteral: (URIRef, Literal),
    SH.BlankNodeOrLiteral: (BNode, Literal),
}


class UnsupportedShapeError(ValueError):
    """The shapes use a constraint component this evaluator does not implement."""


@dataclass(frozen=True)
class Result:
    """One failed constraint: the focus node, the offending value (None for counts), the
    shape's message and severity."""

    focus: Node
    value: Node | None
    message: str
    severity: URIRef


@dataclass
class _Shape:
    """A node shape (``path`` empty) or a property shape, read into tables."""

    node: Node
    path: tuple[URIRef, ...] = ()
    message: str = ""
    severity: URIRef = SH.Violation
    targets: list[tuple[URIRef, Node]] = field(default_factory=list)
    values: list[tuple[URIRef, Any]] = field(default_factory=list)  # checked on each value
    sets: list[tuple[URIRef, Any]] = field(default_factory=list)  # checked on all values
    properties: list[_Shape] = field(default_factory=list)
    alternatives: list[_Shape] = field(default_factory=list)  # sh:or on a node shape


class _Reader:
    """Reads shapes from the shapes graph into :class:`_Shape` tables."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    def shape(self, node: Node, *, property_shape: bool = False) -> _Shape:
        shape = _Shape(node, severity=self.g.value(node, SH.severity) or SH.Violation)  # type: ignore[arg-type]
        message = self.g.value(node, SH.message)
        shape.message = str(message) if message is not None else ""
        for p, o in self.g.predicate_objects(node):
            if p in _DESCRIPTIVE:
                continue
            if p == SH.path:
                shape.path = self._path(o)
            elif p in _TARGETS:
                shape.targets.append((p, o))  # type: ignore[arg-type]
            elif p == SH.property:
                shape.properties.append(self.shape(o, property_shape=True))
            elif p == SH["or"] and not property_shape:
                shape.alternatives = [self.shape(alt) for alt in self.items(o)]
            elif p in _VALUE_COMPONENTS:
                shape.values.append((p, self._argument(p, o)))  # type: ignore[arg-type]
            elif p in _SET_COMPONENTS:
                value = o.toPython() if p in (SH.minCount, SH.maxCount, SH.uniqueLang) else o  # type: ignore[attr-defined]
                shape.sets.append((p, value))  # type: ignore[arg-type]
            elif p == SH.flags:
                continue  # read with sh:pattern
            elif str(p).startswith(str(SH)):
                raise UnsupportedShapeError(f"{p} (on {node}) is not supported by kg.validate.shacl_native")
        if property_shape and not shape.path:
            raise UnsupportedShapeError(f"property shape {node} has no sh:path")
        for p, arg in shape.values:
            if p == SH.pattern:
                flags = str(self.g.value(node, SH.flags) or "")
                shape.values[shape.values.index((p, arg))] = (p, re.compile(str(arg), _re_flags(flags)))
        return shape

    def _argument(self, component: URIRef, value: Node) -> Any:
        if component == SH["in"]:
            return frozenset(self.items(value))
        if component == SH.languageIn:
            return tuple(str(tag).lower() for tag in self.items(value))
        if component == SH["or"]:
            return [self.shape(alt, property_shape=False) for alt in self.items(value)]
        if component == SH.nodeKind and value not in _NODE_KINDS:
            raise UnsupportedShapeError(f"sh:nodeKind {value}")
        return value

    def _path(self, node: Node) -> tuple[URIRef, ...]:
        if isinstance(node, URIRef):
            return (node,)
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None and all(isinstance(p, URIRef) for p in self.items(alternatives)):
            return tuple(self.items(alternatives))  # type: ignore[arg-type]
        raise UnsupportedShapeError(f"sh:path {node}: only a predicate or an alternative of predicates")


def _re_flags(flags: str) -> int:
    table = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
    out = 0
    for flag in flags:
        out |= table.get(flag, 0)
    return out


def index(triples: Iterable[tuple[Node, Node, Node]]) -> tuple[Index, Index]:
    """Subject → predicate → objects, and object → predicate → subjects, of ``triples``.
    A literal typed xsd:string is a plain literal, as RDF 1.1 says (and the store keeps it)."""
    forward: Index = defaultdict(lambda: defaultdict(set))
    backward: Index = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        if type(o) is Literal and o.datatype == _STRING:
            o = Literal(str(o))
        forward[s][p].add(o)
        backward[o][p].add(s)
    return forward, backward


def _superclasses(forward: Index) -> dict[Node, frozenset[Node]]:
    """Every class with itself and all its superclasses (rdfs:subClassOf, transitively)."""
    direct = {c: props[_SUBCLASS] for c, props in forward.items() if _SUBCLASS in props}
    closed: dict[Node, frozenset[Node]] = {}

    def up(cls: Node, seen: frozenset[Node]) -> frozenset[Node]:
        if cls in closed:
            return closed[cls]
        out = {cls}
        for parent in direct.get(cls, ()):
            if parent not in seen:
                out |= up(parent, seen | {cls})
        closed[cls] = frozenset(out)
        return closed[cls]

    for cls in direct:
        up(cls, frozenset())
    return closed


class _View:
    """The union of the context and one data graph, read through both indexes (``subjects``:
    the data's own subjects)."""

    def __init__(
        self, shapes: NativeShapes, forward: Index, backward: Index, supers: dict[Node, frozenset[Node]]
    ) -> None:
        self.ctx_f, self.ctx_b = shapes.context_forward, shapes.context_backward
        self.forward, self.backward, self.supers = forward, backward, supers
        self.subjects = list(forward)
        self.targeted: dict[Node, list[_Shape]] = {}  # node → the shapes that target it

    def objects(self, s: Node, path: tuple[URIRef, ...]) -> set[Node]:
        out: set[Node] = set()
        for table in (self.ctx_f.get(s), self.forward.get(s)):
            if table:
                for p in path:
                    out |= table.get(p, set())
        return out

    def classes(self, node: Node) -> set[Node]:
        out: set[Node] = set()
        for t in self.objects(node, (_TYPE,)):
            out |= self.supers.get(t, frozenset((t,)))
        return out

    def predicates(self, node: Node, backward: bool = False) -> set[Node]:
        tables = (self.ctx_b, self.backward) if backward else (self.ctx_f, self.forward)
        out: set[Node] = set()
        for table in tables:
            props = table.get(node)
            if props:
                out.update(p for p, values in props.items() if values)
        return out


class NativeShapes:
    """The shapes of a shapes graph and a context graph, read once; :meth:`check` then
    checks focus nodes of one data graph over the union of the context and the data."""

    def __init__(self, shapes: Graph, context: Iterable[tuple[Node, Node, Node]]) -> None:
        reader = _Reader(shapes)
        self.shapes = [
            reader.shape(s)
            for s in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str)
            if any(shapes.predicate_objects(s)) and any(p in _TARGETS for p in shapes.predicates(s))
        ]
        self.context_forward, self.context_backward = index(context)
        self._supers = _superclasses(self.context_forward)
        self._by_target: dict[tuple[Node, Node], list[_Shape]] = defaultdict(list)
        for shape in self.shapes:
            for kind, value in shape.targets:
                self._by_target[(kind, value)].append(shape)

    def _shapes_of(self, node: Node, view: _View) -> list[_Shape]:
        """The shapes that target ``node``, each once, in the shapes' order (kept on the
        view: the core shapes and the SPARQL constraints both ask)."""
        known = view.targeted.get(node)
        if known is None:
            known = view.targeted[node] = self._find_shapes(node, view)
        return known

    def _find_shapes(self, node: Node, view: _View) -> list[_Shape]:
        keys = [(_TARGET_CLASS, c) for c in view.classes(node)]
        keys += [(_SUBJECTS_OF, p) for p in view.predicates(node)]
        keys += [(_OBJECTS_OF, p) for p in view.predicates(node, backward=True)]
        keys.append((_TARGET_NODE, node))
        found = {id(s): s for key in keys for s in self._by_target.get(key, ())}
        return [s for s in self.shapes if id(s) in found]

    def check(self, view: _View, focus: Iterable[Node]) -> list[Result]:
        """Every failed constraint of the ``focus`` nodes, over the context and the data of
        ``view`` (see :meth:`view`)."""
        results: list[Result] = []
        for node in focus:
            for shape in self._shapes_of(node, view):
                results.extend(_node_results(shape, node, view))
        return results

    def sparql_failures(
        self,
        view: _View,
        ntriples: bytes,
        focus: Iterable[Node],
        constraints: list[BulkConstraint],
        shapes: Graph,
    ) -> list[tuple[Node, Node, str]]:
        """(focus node, shape, message) for each focus node that a SPARQL constraint selects,
        the query run once over ``data`` alone (the constraints are about a node's own
        triples; ``ntriples`` is the data) in an in-memory Oxigraph store, a hundred times
        faster than rdflib's."""
        targeted = {n: set(map(id, self._shapes_of(n, view))) for n in focus}
        store = ox.Store()
        store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
        out: list[tuple[Node, Node, str]] = []
        for shape, constraint, _targets in constraints:
            if shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            ids = {id(s) for s in self.shapes if s.node == shape}
            wanted = {n for n, of in targeted.items() if of & ids}
            if not wanted:
                continue
            template = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "")
            seen: set[Node] = set()
            for row in store.query(constraint_query(shapes, constraint)):  # type: ignore[union-attr]
                this = from_ox(row["this"])
                if this in wanted and this not in seen:
                    seen.add(this)
                    message = template.replace("{$this}", str(this)).replace("{?this}", str(this))
                    out.append((this, shape, message))
        return out

    def view(self, data: Iterable[tuple[Node, Node, Node]]) -> _View:
        """The union of the context and ``data``, indexed for :meth:`check`."""
        forward, backward = index(data)
        supers = self._supers
        if any(_SUBCLASS in props for props in forward.values()):
            merged: Index = defaultdict(lambda: defaultdict(set))
            for table in (self.context_forward, forward):
                for c, props in table.items():
                    if _SUBCLASS in props:
                        merged[c][_SUBCLASS] |= props[_SUBCLASS]
            supers = _superclasses(merged)
        return _View(self, forward, backward, supers)


def _node_results(shape: _Shape, node: Node, view: _View) -> Iterator[Result]:
    """The results of ``node`` against a node shape: its own constraints, its sh:or, and
    each of its property shapes."""
    for component, arg in shape.values:
        if not _value_ok(component, arg, node, view):
            yield Result(node, node, shape.message, shape.severity)
    for component, arg in shape.sets:
        for value in _set_failures(component, arg, {node}, node, view):
            yield Result(node, value, shape.message, shape.severity)
    if shape.alternatives and not any(_conforms(alt, node, view) for alt in shape.alternatives):
        yield Result(node, node, shape.message, shape.severity)
    for prop in shape.properties:
        values = view.objects(node, prop.path)
        for value in values:
            for component, arg in prop.values:
                if not _value_ok(component, arg, value, view):
                    yield Result(node, value, prop.message, prop.severity)
        for component, arg in prop.sets:
            for bad in _set_failures(component, arg, values, node, view):
                yield Result(node, bad, prop.message, prop.severity)


def _conforms(shape: _Shape, node: Node, view: _View) -> bool:
    return not any(True for _ in _node_results(shape, node, view))


def _set_failures(
    component: URIRef, arg: Any, values: set[Node], focus: Node, view: _View
) -> list[Node | None]:
    """The failures of a constraint on a whole value set: None for a count or a missing
    value, else each offending value."""
    if component == _MIN_COUNT:
        return [None] if len(values) < arg else []
    if component == _MAX_COUNT:
        return [None] if len(values) > arg else []
    if component == _HAS_VALUE:
        return [] if arg in values else [None]
    if component == _UNIQUE_LANG:
        tags = [v.language.lower() for v in values if isinstance(v, Literal) and v.language]
        return [None] * len({t for t in tags if tags.count(t) > 1}) if arg is True else []
    if component == _LESS_OR_EQUAL:
        others = view.objects(focus, (arg,))
        return [v for v in values if any(not _compare_ok(v, o, lambda a, b: a <= b) for o in others)]
    raise UnsupportedShapeError(str(component))


def _value_ok(component: URIRef, arg: Any, value: Node, view: _View) -> bool:
    """Whether one value node satisfies one value constraint."""
    if component == _DATATYPE:
        return isinstance(value, Literal) and _datatype(value) == arg and not value.ill_typed
    if component == _CLASS:
        return not isinstance(value, Literal) and arg in view.classes(value)
    if component == _NODE_KIND:
        return isinstance(value, _NODE_KINDS[arg])
    if component == _IN:
        return value in arg
    if component == _LANGUAGE_IN:
        tag = value.language.lower() if isinstance(value, Literal) and value.language else None
        return tag is not None and any(tag == r or tag.startswith(r + "-") or r == "*" for r in arg)
    if component == _PATTERN:
        return not isinstance(value, BNode) and arg.search(str(value)) is not None
    if component == _OR:
        return any(_conforms(alt, value, view) for alt in arg)
    return isinstance(value, Literal) and _compare_ok(value, arg, _BOUNDS[component])


def _datatype(literal: Literal) -> URIRef:
    if literal.datatype is not None:
        return literal.datatype
    return _LANG_STRING if literal.language else _STRING


def _compare_ok(a: Node, b: Node, test: Any) -> bool:
    """``test(a, b)`` on the values of two literals of comparable kinds; False otherwise
    (a value that cannot be compared breaks a range constraint, as in pySHACL)."""
    if not isinstance(a, Literal) or not isinstance(b, Literal) or a.ill_typed or b.ill_typed:
        return False
    va, vb = a.toPython(), b.toPython()
    if isinstance(va, str) != isinstance(vb, str) or isinstance(va, Literal) or isinstance(vb, Literal):
        return False
    try:
        return bool(test(va, vb))
    except TypeError:
        return False
