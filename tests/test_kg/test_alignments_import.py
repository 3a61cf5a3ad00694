"""The alignments are safe to import: loaded with the real published ORG, PROV-O,
OWL-Time, schema.org (its OWL release) and NIF files (ontology/vendor/), HermiT finds the
whole consistent with no unsatisfiable Peninsula class and the OWL API's OWL 2 DL profile
checker finds no violation that the published files do not have on their own. The 0.1.0
alignments, with their property chains on ORG's terms, fail both checks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from kg.namespaces import PEN
from kg.settings import data_dir

ONTOLOGY_DIR = data_dir("ontology")
VENDOR = ONTOLOGY_DIR / "vendor"
PUBLISHED = ("org.ttl", "prov-o.ttl", "time.ttl", "schemaorg.owl", "nif-core.ttl")
PROFILE_CHECK = Path(__file__).resolve().parent.parent / "java" / "OwlProfileCheck.java"
OWLAPI_JAR = Path("/usr/share/java/owlapi-distribution.jar")
ALIGNMENTS = URIRef("https://w3id.org/peninsula/ontology/alignments")
CAMEO = "https://w3id.org/peninsula/ontology/cameo#"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
BUILT_IN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


def parse(path: Path) -> Graph:
    return Graph().parse(path, format="xml" if path.suffix == ".owl" else "turtle")


@pytest.fixture(scope="module")
def core() -> Graph:
    return parse(ONTOLOGY_DIR / "peninsula.ttl")


@pytest.fixture(scope="module")
def alignments() -> Graph:
    return parse(ONTOLOGY_DIR / "alignments.ttl")


@pytest.fixture(scope="module")
def published() -> dict[str, Graph]:
    return {name: parse(VENDOR / name) for name in PUBLISHED}


def _header(g: Graph) -> set[URIRef]:
    """The ontology's own IRIs and those its header names (versions, licence, see-also)."""
    header = {ALIGNMENTS}
    for _p, o in g.predicate_objects(ALIGNMENTS):
        if isinstance(o, URIRef):
            header.add(o)
    return header


def _kinds(g: Graph) -> dict[URIRef, set[URIRef]]:
    kinds: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for term in g.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                kinds.setdefault(term, set()).add(kind)
    return kinds


# --------------------------------------------------------------------------- the file


def test_the_alignments_import_the_core_version_they_align(core: Graph, alignments: Graph) -> None:
    version = core.value(URIRef(str(PEN).rstrip("#")), OWL.versionIRI)
    assert list(alignments.objects(ALIGNMENTS, OWL.imports)) == [version]
    assert alignments.value(ALIGNMENTS, OWL.priorVersion) is not None


def test_the_alignments_make_no_axiom_on_another_vocabularys_terms(alignments: Graph) -> None:
    """Outside terms are only declared; every axiom has a pen: term as its subject."""
    header = _header(alignments)
    for s, p, o in alignments:
        if s in header or isinstance(s, BNode):
            continue
        assert isinstance(s, URIRef)
        if s.startswith(str(PEN)):
            continue
        assert p == RDF.type and o in KINDS, f"axiom on an outside term: {s} {p} {o}"
    assert not list(alignments.subjects(OWL.propertyChainAxiom, None))


def test_every_outside_term_the_alignments_use_is_declared(core: Graph, alignments: Graph) -> None:
    header = _header(alignments)
    used = {
        n
        for triple in alignments
        for n in triple
        if isinstance(n, URIRef) and n not in header and not str(n).startswith(BUILT_IN)
    }
    declared = _kinds(alignments + core)
    classes = {t for t, k in declared.items() if OWL.Class in k}
    for individual, cls in (alignments + core).subject_objects(RDF.type):
        if cls in classes and isinstance(individual, URIRef):
            declared.setdefault(individual, set()).add(OWL.NamedIndividual)
    undeclared = sorted(str(t) for t in used if t not in declared)
    assert undeclared == []
    punned = {t: k for t, k in declared.items() if len(k - {OWL.NamedIndividual}) > 1}
    assert not punned
    assert len(used) > 150


def test_outside_terms_have_the_kind_their_published_file_gives_them(
    alignments: Graph, published: dict[str, Graph]
) -> None:
    """A data property declared where ORG or schema.org's OWL release has an object
    property would be punning, outside OWL 2 DL; this is the check that caught schema:url."""
    ours = _kinds(alignments)
    compared = 0
    for name, g in published.items():
        theirs = _kinds(g)
        for term, kinds in ours.items():
            property_kinds = kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
            if term in theirs and property_kinds:
                assert property_kinds <= theirs[term], (
                    f"{term}: {property_kinds} here, {theirs[term]} in {name}"
                )
                compared += 1
    assert compared > 40


def test_a_state_is_an_actor_not_a_place(alignments: Graph) -> None:
    supers = set(alignments.objects(PEN.State, RDFS.subClassOf))
    assert URIRef(SCHEMA + "Country") not in supers
    assert URIRef("http://www.w3.org/ns/org#FormalOrganization") in supers
    assert (PEN.territory, RDFS.subPropertyOf, URIRef(SCHEMA + "location")) in alignments
    assert (PEN.role, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#role")) in alignments


def test_claims_are_schema_org_claims_with_their_author(alignments: Graph) -> None:
    assert (PEN.Claim, RDFS.subClassOf, URIRef(SCHEMA + "Claim")) in alignments
    assert (PEN.claimedBy, RDFS.subPropertyOf, URIRef(SCHEMA + "author")) in alignments
    assert (PEN.claimAbout, RDFS.subPropertyOf, URIRef(SCHEMA + "about")) in alignments


def test_event_classes_map_to_cameo_codes_of_the_served_scheme(core: Graph, alignments: Graph) -> None:
    cameo = Graph().parse(ONTOLOGY_DIR / "cameo.ttl", format="turtle")
    matches = {
        (str(s)[len(str(PEN)) :], str(p).rsplit("#", 1)[-1], str(cameo.value(o, SKOS.notation)))
        for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
        for s, o in alignments.subject_objects(p)
        if str(o).startswith(CAMEO)
    }
    assert {
        ("Visit", "closeMatch", "042"),
        ("PhoneCall", "closeMatch", "041"),
        ("Talks", "closeMatch", "046"),
        ("Condemnation", "closeMatch", "111"),
        ("Accusation", "closeMatch", "112"),
        ("Threat", "narrowMatch", "138"),
        ("Sanction", "closeMatch", "163"),
        ("Appeal", "closeMatch", "02"),
        ("Statement", "closeMatch", "01"),
    } <= matches
    # Every code named is a concept of the scheme, with its notation and codebook label,
    # and every class mapped is an event class of the core.
    for _cls, _kind, notation in matches:
        assert notation != "None", "a CAMEO IRI the scheme does not define"
    concepts = set(cameo.subjects(RDF.type, SKOS.Concept))
    assert all(cameo.value(c, SKOS.inScheme) is not None and cameo.value(c, SKOS.prefLabel) for c in concepts)
    assert cameo.value(URIRef(CAMEO + "042"), SKOS.prefLabel) == Literal("Make a visit", lang="en")
    events = {s for s in core.transitive_subjects(RDFS.subClassOf, PEN.Event)}
    assert {PEN[cls] for cls, _k, _n in matches} <= events


# --------------------------------------------------------------------------- HermiT


def _hermit_with_published(files: list[Path], folder: Path) -> tuple[owlready2.World, bool]:
    graph = Graph()
    for path in files:
        graph += parse(path)
    # Everything the import closure needs is here; owlready2 would fetch the rest.
    graph.remove((None, OWL.imports, None))
    nt = folder / "merged.nt"
    graph.serialize(nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(nt.as_uri()).load()
    try:
        # OWL-Time and schema.org name xsd:date, xsd:gYear … outside the OWL 2 datatype map.
        owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return world, False
    return world, True


def _ancestors(world: owlready2.World, iri: str) -> set[str]:
    entity = world[iri]
    assert entity is not None, iri
    return {c.iri for c in entity.ancestors() if hasattr(c, "iri")}


@pytest.mark.reasoner
def test_hermit_reasons_over_the_core_the_alignments_and_the_published_vocabularies(tmp_path: Path) -> None:
    files = [
        ONTOLOGY_DIR / "peninsula.ttl",
        ONTOLOGY_DIR / "alignments.ttl",
        *(VENDOR / n for n in PUBLISHED),
    ]
    world, consistent = _hermit_with_published(files, tmp_path)
    try:
        assert consistent
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri.startswith(str(PEN)))
        assert unsatisfiable == []
        state = _ancestors(world, str(PEN.State))
        assert {SCHEMA + "Organization", "http://www.w3.org/ns/org#FormalOrganization"} <= state
        assert SCHEMA + "Place" not in state and SCHEMA + "Country" not in state
        # With NIF loaded a sentence is a text position selector (NIF says so of every
        # offset-based string), and no longer also the specific resource that holds one.
        sentence = _ancestors(world, str(PEN.Sentence))
        assert OA + "TextPositionSelector" in sentence
        assert OA + "SpecificResource" not in sentence
        # ORG's domain of org:role is a membership or a post: a post is not made a membership.
        assert "http://www.w3.org/ns/org#Membership" not in _ancestors(world, str(PEN.Post))
    finally:
        world.close()


@pytest.mark.reasoner
def test_hermit_refuses_the_0_1_0_alignments_with_the_published_org(tmp_path: Path) -> None:
    """The check can fail: the property chain on org:organization, which ORG declares
    functional, makes HermiT stop."""
    files = [
        ONTOLOGY_DIR / "versions" / "peninsula-0.1.0.ttl",
        ONTOLOGY_DIR / "versions" / "alignments-0.1.0.ttl",
        VENDOR / "org.ttl",
    ]
    with pytest.raises(owlready2.OwlReadyJavaError, match="Non-simple property"):
        world, _consistent = _hermit_with_published(files, tmp_path)
        world.close()


# --------------------------------------------------------------------------- OWL API


# The annotations the OWL API prints on an axiom vary between runs of a merge; the axiom
# and the entity a violation names do not.
_ANNOTATION = re.compile(r'Annotation\((?:[^()"]|"(?:[^"\\]|\\.)*")*\) ')


def _profile_violations(*paths: Path) -> set[str]:
    """The OWL 2 DL violations the OWL API finds in the documents merged, blank node
    labels normalised."""
    if shutil.which("java") is None or not OWLAPI_JAR.exists():
        pytest.fail(
            "the OWL API profile check needs Java and libowlapi-java (scripts/install-system-deps.sh)"
        )
    done = subprocess.run(
        ["java", "-cp", "/usr/share/java/*", str(PROFILE_CHECK), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert lines and lines[-1].startswith("axioms: "), done.stdout + done.stderr
    count = int(lines[-1].rsplit(" ", 1)[-1])
    violations = {
        re.sub(r"\[\s+", "[", _ANNOTATION.sub("", re.sub(r"_:genid\d+", "_:b", line))) for line in lines[:-1]
    }
    assert (done.returncode == 0) == (count == 0)
    return violations


def test_the_owl_api_finds_the_core_and_alignments_in_owl2_dl() -> None:
    assert _profile_violations(ONTOLOGY_DIR / "peninsula.ttl", ONTOLOGY_DIR / "alignments.ttl") == set()
    assert _profile_violations(ONTOLOGY_DIR / "cameo.ttl") == set()


def test_the_owl_api_finds_no_violation_the_published_files_do_not_have_alone() -> None:
    published = [VENDOR / n for n in PUBLISHED]
    alone = _profile_violations(*published)
    assert len(alone) > 100  # the published files are not OWL 2 DL themselves
    merged = _profile_violations(ONTOLOGY_DIR / "peninsula.ttl", ONTOLOGY_DIR / "alignments.ttl", *published)
    assert merged - alone == set()


def test_the_owl_api_finds_the_0_1_0_chain_on_a_functional_org_property() -> None:
    merged = _profile_violations(
        ONTOLOGY_DIR / "versions" / "peninsula-0.1.0.ttl",
        ONTOLOGY_DIR / "versions" / "alignments-0.1.0.ttl",
        VENDOR / "org.ttl",
    )
    assert any("non-simple property" in v and "org#organization" in v for v in merged)


def test_the_ontology_names_its_makers_as_a_node(core: Graph) -> None:
    ontology = URIRef(str(PEN).rstrip("#"))
    for p in (DCTERMS.creator, DCTERMS.publisher):
        maker = core.value(ontology, p)
        assert maker is not None and not isinstance(maker, Literal)
        assert core.value(maker, FOAF.name) is not None
    assert core.value(ontology, DCTERMS.created) is not None
    assert core.value(ontology, DCTERMS.modified) is not None
