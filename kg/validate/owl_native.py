"""OWL consistency of article graphs, decided in this process for the fragment of OWL our
ontology is written in (docs/decisions/0013).

HermiT costs about five seconds to start and a quarter of a millisecond per triple: on ten
thousand articles, hours. Our ontology uses only named classes with ``rdfs:subClassOf`` and
``owl:equivalentClass``, ``owl:disjointWith``/``owl:AllDisjointClasses``, property domains
and ranges, sub- and equivalent properties, inverse, symmetric, transitive, functional and
inverse-functional properties, property chains, and ``owl:sameAs`` in the data: all inside
OWL 2 RL, where forward chaining of the RL rules decides consistency. :class:`OwlCheck`
applies those rules (types from assertions, domains and ranges; property assertions
closed under sub-properties, inverses, symmetry, transitivity and chains; individuals
merged by ``owl:sameAs`` and functional properties) and reports each clash: an individual
of two disjoint classes or of ``owl:Nothing``, two values of a functional data property,
a literal outside a property's datatype range, a literal where an individual belongs.

It refuses an ontology that says anything else (:class:`UnsupportedAxiomError`), so an
axiom added later cannot be ignored in silence; HermiT still runs once per build on the
ontology and the reference data (for unsatisfiable classes), and ``kg validate`` still
gives the whole graph to HermiT. ``tests/test_kg/test_owl_native.py`` checks it against
HermiT on our test sets and on a planted case of each kind of clash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.validate.reasoner import disjoint_pairs, literal_fits, super_properties, superclasses

__all__ = ["OwlCheck", "UnsupportedAxiomError"]

Triple = tuple[Node, Node, Node]

# Predicates and types an ontology of this fragment may use; everything else of the OWL
# namespace is refused.
_KNOWN_PREDICATES = {
    RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, OWL.members, RDFS.domain, RDFS.range,
    RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, OWL.propertyChainAxiom, OWL.sameAs,
    OWL.versionInfo, OWL.versionIRI, OWL.priorVersion, OWL.imports, OWL.deprecated, OWL.backwardCompatibleWith,
    OWL.incompatibleWith,
}  # fmt: skip
_KNOWN_TYPES = {
    OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.SymmetricProperty, OWL.TransitiveProperty,
    OWL.Ontology, OWL.NamedIndividual, OWL.AllDisjointClasses, RDFS.Datatype, OWL.Thing,
}  # fmt: skip


class UnsupportedAxiomError(ValueError):
    """The ontology uses OWL outside the fragment :class:`OwlCheck` decides."""


def _unsupported(ontology: Graph) -> list[str]:
    found = []
    for s, p, o in ontology:
        if str(p).startswith(str(OWL)) and p not in _KNOWN_PREDICATES:
            found.append(f"{p} (on {s})")
        elif p == RDF.type and str(o).startswith(str(OWL)) and o not in _KNOWN_TYPES:
            found.append(f"{o} (type of {s})")
        elif p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith) and isinstance(o, BNode):
            found.append(f"a class expression in {p} (on {s})")
        elif p == RDFS.range and isinstance(o, BNode):
            found.append(f"a range expression (on {s})")
    return sorted(set(found))


class _Merge:
    """Union-find over individuals (``owl:sameAs``)."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, x: Node) -> Node:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: Node, b: Node) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)
        return True


class OwlCheck:
    """The ontology's axioms read into tables, and the context (reference data, runs) kept,
    to decide the consistency of data graphs beside them."""

    def __init__(self, ontology: Graph, context: Iterable[Triple] = ()) -> None:
        bad = _unsupported(ontology)
        if bad:
            raise UnsupportedAxiomError(
                "outside the fragment kg.validate.owl_native decides: " + "; ".join(bad[:5])
            )
        self.supers = superclasses(ontology)
        self.disjoint: dict[Node, set[Node]] = defaultdict(set)
        for pair in disjoint_pairs(ontology):
            a, b = tuple(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
            self.disjoint[a].add(b)
            self.disjoint[b].add(a)
        self.super_props = super_properties(ontology)
        for p, q in ontology.subject_objects(OWL.equivalentProperty):
            for x, y in ((p, q), (q, p)):
                self.super_props[x] = self.super_props.get(x, {x}) | self.super_props.get(y, {y})
        self.inverse: dict[Node, set[Node]] = defaultdict(set)
        for p, q in ontology.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                self.inverse[p].add(q)
                self.inverse[q].add(p)
        self.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
        self.functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
        self.inverse_functional = set(ontology.subjects(RDF.type, OWL.InverseFunctionalProperty))
        self.datatype_props = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
        self.object_props = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
        self.domains: dict[Node, set[Node]] = defaultdict(set)
        self.ranges: dict[Node, set[Node]] = defaultdict(set)
        for p, d in ontology.subject_objects(RDFS.domain):
            self.domains[p].add(d)
        for p, r in ontology.subject_objects(RDFS.range):
            self.ranges[p].add(r)
        self.chains = [
            (p, self._chain(ontology, c)) for p, c in ontology.subject_objects(OWL.propertyChainAxiom)
        ]
        self.context = list(context)
        # the properties whose assertions join others (chains, transitivity)
        self._joined = set(self.transitive) | {prop for _p, steps in self.chains for prop, _inv in steps}

    @staticmethod
    def _chain(ontology: Graph, node: Node) -> list[tuple[Node, bool]]:
        """A chain's steps as (property, inverted)."""
        steps = []
        for step in Collection(ontology, node):
            inverse = ontology.value(step, OWL.inverseOf) if isinstance(step, BNode) else None
            steps.append((inverse, True) if inverse is not None else (step, False))
        return steps

    def clashes(self, data: Iterable[Triple]) -> list[str]:
        """What makes the context plus ``data`` inconsistent with the ontology; empty when
        it is consistent."""
        merge = _Merge()
        types: dict[Node, set[Node]] = defaultdict(set)
        literals: list[tuple[Node, Node, Literal]] = []
        links: set[Triple] = set()
        problems: list[str] = []
        for s, p, o in (*self.context, *data):
            if p == RDF.type:
                types[s].add(o)
            elif p == OWL.sameAs:
                merge.union(s, o)
            elif isinstance(o, Literal):
                if p in self.object_props:
                    problems.append(f"{s} {p}: a literal where the ontology expects an individual")
                literals.append((s, p, o))
            elif p in self.datatype_props:
                problems.append(f"{s} {p}: an individual where the ontology expects a literal")
            else:
                links.add((s, p, o))
        links = self._closed(links)
        self._merge_functional(links, merge)
        for s, p, o in links:
            types[s] |= self.domains.get(p, set())
            types[o] |= self.ranges.get(p, set())
        problems += self._literal_clashes(literals, types, merge)
        problems += self._type_clashes(types, merge)
        return sorted(set(problems))

    def _closed(self, links: set[Triple]) -> set[Triple]:
        """The object-property assertions with all that sub-properties, inverses, symmetry,
        transitivity and chains imply."""
        todo = set(links)
        done: set[Triple] = set()
        while todo:
            new: set[Triple] = set()
            for s, p, o in todo:
                for q in self.super_props.get(p, {p}) | {p}:
                    new.add((s, q, o))
                    new.update((o, inv, s) for inv in self.inverse.get(q, ()))
                    if q in self.symmetric:
                        new.add((o, q, s))
            done |= todo
            relevant = {t for t in done | new if t[1] in self._joined}
            new |= self._transitive(relevant)
            new |= self._chained(relevant)
            todo = new - done
        return done

    def _transitive(self, links: set[Triple]) -> set[Triple]:
        out: set[Triple] = set()
        for p in self.transitive:
            forward: dict[Node, set[Node]] = defaultdict(set)
            for s, q, o in links:
                if q == p:
                    forward[s].add(o)
            for s, objects in forward.items():
                out.update((s, p, x) for o in objects for x in forward.get(o, ()))
        return out

    def _chained(self, links: set[Triple]) -> set[Triple]:
        out: set[Triple] = set()
        by_property: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in links:
            by_property[p].append((s, o))
        for p, steps in self.chains:
            pairs: dict[Node, set[Node]] | None = None
            for prop, inverted in steps:
                step: dict[Node, set[Node]] = defaultdict(set)
                for s, o in by_property.get(prop, ()):
                    step[o if inverted else s].add(s if inverted else o)
                pairs = (
                    step
                    if pairs is None
                    else {a: {c for b in bs for c in step.get(b, ())} for a, bs in pairs.items()}
                )
            out.update((a, p, c) for a, cs in (pairs or {}).items() for c in cs)
        return out

    def _merge_functional(self, links: set[Triple], merge: _Merge) -> None:
        """Merge the individuals a functional (or inverse-functional) property makes one."""
        changed = True
        while changed:
            changed = False
            values: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
            for s, p, o in links:
                if p in self.functional:
                    values[(merge.find(s), p)].add(merge.find(o))
                if p in self.inverse_functional:
                    values[(merge.find(o), OWL.inverseOf)].add(merge.find(s))
            for objects in values.values():
                first, *rest = sorted(objects, key=str)
                for other in rest:
                    changed |= merge.union(first, other)

    def _literal_clashes(
        self, literals: list[tuple[Node, Node, Literal]], types: dict[Node, set[Node]], merge: _Merge
    ) -> list[str]:
        problems = []
        values: dict[tuple[Node, Node], set[object]] = defaultdict(set)
        for s, p, o in literals:
            for q in self.super_props.get(p, {p}) | {p}:
                types[s] |= self.domains.get(q, set())
                if q in self.functional:
                    values[(merge.find(s), q)].add(o.toPython() if not o.ill_typed else str(o))
                for r in self.ranges.get(q, ()):
                    if not literal_fits(o, r) or (o.ill_typed and r != RDFS.Literal):
                        problems.append(f"{s} {q} {o.n3()}: the value is outside the range {r}")
        problems += [
            f"{s} has two values of the functional {p}" for (s, p), v in values.items() if len(v) > 1
        ]
        return problems

    def _type_clashes(self, types: dict[Node, set[Node]], merge: _Merge) -> list[str]:
        merged: dict[Node, set[Node]] = defaultdict(set)
        for node, direct in types.items():
            for cls in direct:
                merged[merge.find(node)] |= self.supers.get(cls, {cls}) | {cls}
        problems = []
        for node, classes in merged.items():
            if OWL.Nothing in classes:
                problems.append(f"{node} is of owl:Nothing")
            for cls in classes:
                clash = self.disjoint.get(cls, set()) & classes
                if clash:
                    problems.append(f"{node} is both {cls} and {min(clash, key=str)}, which are disjoint")
        return problems
