"""The OWL check of a validation: HermiT through owlready2, and a diagnosis of what made the
whole inconsistent.

:func:`run_reasoner` gives the ontology, its alignments and the data to HermiT (it needs
Java) and returns a :class:`ReasonerResult`: consistent or not, and the unsatisfiable
classes. HermiT only says *that* the whole is inconsistent, so :func:`explain_inconsistency`
adds the likely causes found by a cheap check of disjoint types, functional data properties
and literal datatypes. :mod:`kg.validate.graph` runs this after the SHACL check.

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
from dataclasses import dataclass
from pathlib import Path

import owlready2
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Node, URIRef
from rdflib.collection import Collection

from kg.errors import KGError
from kg.namespaces import PEN
from kg.validate.term_names import term_name

__all__ = [
    "ReasonerResult",
    "ReasonerUnavailableError",
    "disjoint_pairs",
    "explain_inconsistency",
    "literal_fits",
    "run_reasoner",
    "super_properties",
    "superclasses",
]


class ReasonerUnavailableError(KGError):
    """The OWL reasoner cannot run here (no Java). Validation without it is not a pass."""


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
                term_name(URIRef(c.iri), ontology)
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


def superclasses(ontology: Graph) -> dict[Node, set[Node]]:
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


def disjoint_pairs(ontology: Graph) -> set[frozenset[Node]]:
    """The pairs of classes declared disjoint (owl:disjointWith, owl:AllDisjointClasses)."""
    pairs: set[frozenset[Node]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(node, OWL.members)
        if members is not None:
            for a, b in itertools.combinations(list(Collection(ontology, members)), 2):
                pairs.add(frozenset((a, b)))
    return pairs


def super_properties(g: Graph) -> dict[Node, set[Node]]:
    """Reflexive-transitive super-properties (rdfs:subPropertyOf) of every property."""
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


def literal_fits(lit: Literal, rng: Node) -> bool:
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
    supers = superclasses(g)
    disjoint = disjoint_pairs(g)
    sub_props = super_properties(g)
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
                types[s].setdefault(d, f"domain of {term_name(q, g)}")
            if isinstance(o, Literal):
                if q in functional:
                    values[(s, q)].add(o)
                for r in ranges.get(q, ()):
                    if not literal_fits(o, r):
                        causes.append(
                            f"{term_name(s, g)} {term_name(p, g)} {term_name(o, g)}: the value is outside "
                            f"the range {term_name(r, g)} of {term_name(q, g)}"
                        )
            elif q not in datatype_props:
                for r in ranges.get(q, ()):
                    types[o].setdefault(r, f"range of {term_name(q, g)}")
    for (s, q), vals in values.items():
        if len(vals) > 1 and len({v.toPython() for v in vals if isinstance(v, Literal)}) > 1:
            shown = ", ".join(sorted(term_name(v, g) for v in vals))
            causes.append(
                f"{term_name(s, g)} has {len(vals)} values of the functional {term_name(q, g)}: {shown}"
            )
    for node, direct in types.items():
        if node in classes:
            continue
        full: dict[Node, str] = {}
        for c, why in direct.items():
            for sup in supers.get(c, {c}) | {c}:
                full.setdefault(sup, f"{term_name(c, g)} ({why})")
        for a, b in itertools.combinations(sorted(full, key=str), 2):
            if frozenset((a, b)) in disjoint:
                causes.append(
                    f"{term_name(node, g)} is both {term_name(a, g)} and {term_name(b, g)}, which are disjoint "
                    f"(via {full[a]} and {full[b]})"
                )
    return sorted(set(causes))
