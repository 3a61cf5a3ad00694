"""The event kinds' rows (kg.kinds) against the ontology and the shapes: each row's class
exists and has a shape, each role is a property whose domain the class falls under and
whose range is a class, and the shapes allow it; unknown kinds fail by name."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SH, Graph, URIRef
from rdflib.collection import Collection

from kg.extract.coref import family_of
from kg.kinds import KINDS, EventKind, UnknownKind, kind
from kg.namespaces import PEN
from kg.rdf.identity import STRATEGIES
from kg.settings import data_dir

ONTOLOGY_DIR = data_dir("ontology")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "peninsula.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def _ancestors(onto: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in onto.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def _shaped_paths(shapes: Graph, classes: set[URIRef]) -> set[URIRef] | None:
    """The properties the shapes targeting any of ``classes`` constrain; None when none targets them."""
    targeting = [s for c in classes for s in shapes.subjects(SH.targetClass, c)]
    if not targeting:
        return None
    paths: set[URIRef] = set()
    for shape in targeting:
        for prop in shapes.objects(shape, SH.property):
            for path in shapes.objects(prop, SH.path):
                alternatives = shapes.value(path, SH.alternativePath)
                if alternatives is not None:
                    paths |= {p for p in Collection(shapes, alternatives) if isinstance(p, URIRef)}
                elif isinstance(path, URIRef):
                    paths.add(path)
    return paths


@pytest.mark.parametrize("row", KINDS, ids=lambda k: k.name)
def test_class_and_sentences_in_ontology(row: EventKind, onto: Graph, shapes: Graph) -> None:
    assert (row.cls, RDF.type, OWL.Class) in onto
    assert PEN.Event in _ancestors(onto, row.cls)
    assert PEN[row.scored_as] in _ancestors(onto, row.cls)  # scored under a class it falls under
    assert _shaped_paths(shapes, _ancestors(onto, row.cls)) is not None
    for cls, template in row.sentences:
        assert row.cls in _ancestors(onto, PEN[cls]), (cls, template)


@pytest.mark.parametrize(
    "row, role", [(k, r) for k in KINDS for r in k.roles], ids=lambda x: x if isinstance(x, str) else x.name
)
def test_role_in_ontology_and_shapes(row: EventKind, role: str, onto: Graph, shapes: Graph) -> None:
    prop = PEN[role]
    assert (prop, RDF.type, OWL.ObjectProperty) in onto, role
    supers = set(onto.transitive_objects(prop, RDFS.subPropertyOf))
    classes = _ancestors(onto, row.cls)
    for p in supers:
        for domain in onto.objects(p, RDFS.domain):
            assert domain in classes, f"{role}: domain {domain} does not hold {row.cls}"
        for rng in onto.objects(p, RDFS.range):
            assert (rng, RDF.type, OWL.Class) in onto, f"{role}: range {rng} is no class"
    allowed = _shaped_paths(shapes, classes) or set()
    assert supers & allowed, f"no shape of {row.cls} constrains {role} or a property above it"


def test_names_and_families() -> None:
    assert len({k.name for k in KINDS}) == len(KINDS)
    assert family_of("summit") == "meeting" and family_of("statement") == "statement"
    with pytest.raises(UnknownKind, match="'parade'"):
        family_of("parade")
    with pytest.raises(UnknownKind):
        kind("")


@pytest.mark.parametrize("row", KINDS, ids=lambda k: k.name)
def test_each_kind_names_an_identity_strategy_the_mapping_has(row: EventKind) -> None:
    assert row.identity in STRATEGIES, f"{row.name}: no strategy {row.identity!r} in kg.rdf.identity"
