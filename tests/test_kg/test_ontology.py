"""The ontology, its alignments and shapes: they parse, stay OWL 2 DL and consistent,
document every term, and the generated HTML documentation is up to date."""

from __future__ import annotations

import re
from pathlib import Path

import owlready2
import pytest
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import OWL, RDF, RDFS, SH, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.namespaces import PEN, local_name
from kg.ontodoc import document_terms, load, render_html
from kg.settings import data_dir
from kg.validate.graph import run_reasoner

ONTOLOGY_DIR = data_dir("ontology")
ONTOLOGY_IRI = URIRef("https://w3id.org/peninsula/ontology")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# The datatypes of the OWL 2 datatype map that this ontology may name in axioms.
OWL2_DATATYPES = {
    RDFS.Literal,
    XSD.string,
    XSD.boolean,
    XSD.decimal,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.double,
    XSD.anyURI,
    XSD.dateTime,
}


def parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


@pytest.fixture(scope="module")
def core() -> Graph:
    return parse("peninsula.ttl")


@pytest.fixture(scope="module")
def full() -> Graph:
    return load(ONTOLOGY_DIR)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse("shapes.ttl")


def pen_terms(g: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(t for t in g.subjects(RDF.type, kind) if isinstance(t, URIRef) and t.startswith(str(PEN)))


@pytest.mark.parametrize("name", ["peninsula.ttl", "alignments.ttl", "shapes.ttl"])
def test_each_file_parses(name: str) -> None:
    assert len(parse(name)) > 50


def test_the_ontology_has_a_version_iri_licence_and_title(core: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in core
    assert str(core.value(ONTOLOGY_IRI, OWL.versionIRI)).startswith(str(ONTOLOGY_IRI) + "/")
    assert core.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert core.value(ONTOLOGY_IRI, DCTERMS.title) is not None


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty], ids=local_name)
def test_every_term_has_an_english_label_and_a_definition(core: Graph, kind: URIRef) -> None:
    terms = pen_terms(core, kind)
    assert terms
    for term in terms:
        labels = [lab for lab in core.objects(term, RDFS.label) if isinstance(lab, Literal)]
        assert [lab.language for lab in labels] == ["en"], f"{term}: one @en rdfs:label"
        definitions = list(core.objects(term, SKOS.definition))
        assert len(definitions) == 1 and str(definitions[0]).strip(), f"{term}: one skos:definition"


def test_every_individual_has_a_label_and_a_definition(core: Graph) -> None:
    individuals = document_terms(core)["Individuals"]
    assert {PEN.ICBM, PEN.Actual, PEN.ForeignMinister, PEN.DayPrecision, PEN.DateUnknown} <= set(individuals)
    for term in individuals:
        assert core.value(term, RDFS.label) is not None, term
        assert core.value(term, SKOS.definition) is not None, term


@pytest.mark.parametrize("name", ["peninsula.ttl", "alignments.ttl"])
def test_owl2_dl_typing(name: str, core: Graph) -> None:
    """The structural rules of OWL 2 DL that a Turtle file can break by accident: every
    IRI used in an axiom is declared, with one kind only; sub-properties keep the kind of
    their super-property; data ranges are in the OWL 2 datatype map."""
    g = parse(name) if name != "peninsula.ttl" else core
    declared = g + core  # the alignments may use the core's terms
    kinds: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for term in declared.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                kinds.setdefault(term, set()).add(kind)
    punned = {t: k for t, k in kinds.items() if len(k) > 1}
    assert not punned, f"terms declared with more than one kind: {punned}"

    def kind_of(term: URIRef) -> URIRef:
        assert term in kinds, f"{term} is used in an axiom of {name} but not declared"
        return next(iter(kinds[term]))

    for s, o in g.subject_objects(RDFS.subClassOf):
        for term in (s, o):
            if isinstance(term, URIRef):
                assert kind_of(term) == OWL.Class, f"{term} in rdfs:subClassOf is not an owl:Class"
    for s, o in g.subject_objects(RDFS.subPropertyOf):
        assert kind_of(s) == kind_of(o), f"{s} rdfs:subPropertyOf {o} mixes kinds of property"
    for p, r in g.subject_objects(RDFS.range):
        if kind_of(p) == OWL.DatatypeProperty:
            assert r in OWL2_DATATYPES, f"range {r} of {p} is not in the OWL 2 datatype map"
        else:
            assert kind_of(r) == OWL.Class, f"range {r} of {p} is not a class"
    for p, d in g.subject_objects(RDFS.domain):
        assert kind_of(d) == OWL.Class, f"domain {d} of {p} is not a class"
    for p in g.subjects(RDF.type, OWL.FunctionalProperty):
        assert kind_of(p) in {OWL.ObjectProperty, OWL.DatatypeProperty}, p


def test_alignments_only_add_to_pen_terms_and_import_only_the_core(core: Graph) -> None:
    alignments = parse("alignments.ttl")
    assert list(alignments.objects(None, OWL.imports)) == [core.value(ONTOLOGY_IRI, OWL.versionIRI)]
    pen_subjects = {s for s in alignments.subjects() if isinstance(s, URIRef) and s.startswith(str(PEN))}
    assert pen_subjects, "the alignments say something about pen: terms"
    undefined = {s for s in pen_subjects if (s, RDFS.label, None) not in core}
    assert not undefined, f"alignments of terms the ontology does not define: {undefined}"
    # No equivalences with outside terms: their axioms could make our classes unsatisfiable.
    assert not list(alignments.subject_objects(OWL.equivalentClass))
    assert not list(alignments.subject_objects(OWL.equivalentProperty))


def test_wikidata_matches_are_the_checked_ones(full: Graph) -> None:
    wikidata = {
        (local_name(s), str(o).rsplit("/", 1)[-1])
        for p in (SKOS.exactMatch, SKOS.closeMatch)
        for s, o in full.subject_objects(p)
        if str(o).startswith("http://www.wikidata.org/entity/")
    }
    assert wikidata == {
        ("Person", "Q5"),
        ("State", "Q3624078"),
        ("Organisation", "Q43229"),
        ("Event", "Q1656682"),
        ("Settlement", "Q486972"),
    }


def test_the_shapes_use_only_terms_of_the_ontology(core: Graph, shapes: Graph) -> None:
    used = {n for triple in shapes for n in triple if isinstance(n, URIRef) and n.startswith(str(PEN))}
    queries = " ".join(str(q) for q in shapes.objects(None, SH.select))
    used |= {PEN[name] for name in re.findall(r"pen:([A-Za-z]+)", queries)}
    defined = {s for s in core.subjects(RDFS.label, None)}
    assert used and not (used - defined), f"unknown terms in shapes.ttl: {used - defined}"


def test_the_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _graph, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_the_meta_shacl_check_catches_a_broken_shape(shapes: Graph) -> None:
    broken = Graph()
    for triple in shapes:
        broken.add(triple)
    node = BNode()
    broken.add((URIRef("https://w3id.org/peninsula/shapes#ArticleShape"), SH.property, node))
    broken.add((node, SH.path, PEN.text))
    broken.add((node, SH.minCount, Literal("one")))
    with pytest.raises(ReportableRuntimeError, match="does not validate"):
        shacl_validate(Graph(), shacl_graph=broken, meta_shacl=True)


def test_every_shape_has_a_message(shapes: Graph) -> None:
    """Property shapes, node shapes with their own constraints, and SPARQL constraints all
    carry an sh:message, so each failure reads as a rule a person can act on."""
    constraint_params = {SH.nodeKind, SH["class"], SH.datatype, SH["in"], SH["or"], SH.hasValue}
    checked = 0
    # Shapes nested in sh:or report through the shape that holds the sh:or.
    named = [s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)]
    for shape in (p for s in named for p in shapes.objects(s, SH.property)):
        assert shapes.value(shape, SH.message) is not None, (
            f"property shape on {shapes.value(shape, SH.path)}"
        )
        checked += 1
    for shape in named:
        if any((shape, p, None) in shapes for p in constraint_params):
            assert shapes.value(shape, SH.message) is not None, shape
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None, constraint
        checked += 1
    assert checked > 50


# --------------------------------------------------------------------------- HermiT


def _hermit(graph: Graph, folder: Path) -> tuple[bool, list[str]]:
    """Consistency and unsatisfiable classes, with no datatype left unchecked: the
    ontology alone must need nothing outside the OWL 2 datatype map."""
    path = folder / "ontology.nt"
    merged = Graph()
    merged += graph
    merged.remove((None, OWL.imports, None))  # the core is here; owlready2 would fetch it
    merged.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    try:
        world.get_ontology(path.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=False)
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, []
        return True, sorted(c.iri for c in world.inconsistent_classes())
    finally:
        world.close()


@pytest.mark.reasoner
@pytest.mark.parametrize(
    "files", [("peninsula.ttl",), ("peninsula.ttl", "alignments.ttl")], ids=["core", "aligned"]
)
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(
    files: tuple[str, ...], tmp_path: Path
) -> None:
    graph = Graph()
    for name in files:
        graph += parse(name)
    consistent, unsatisfiable = _hermit(graph, tmp_path)
    assert consistent
    assert unsatisfiable == []


@pytest.mark.reasoner
def test_the_reasoner_reports_an_unsatisfiable_class(core: Graph) -> None:
    odd = PEN.StatePerson
    extra = Graph()
    extra.add((odd, RDF.type, OWL.Class))
    extra.add((odd, RDFS.subClassOf, PEN.State))
    extra.add((odd, RDFS.subClassOf, PEN.Person))
    result = run_reasoner(Graph(), ontology=core + extra)
    assert result.consistent is True
    assert result.unsatisfiable == ("pen:StatePerson",)
    assert not result.ok


# --------------------------------------------------------------------------- HTML docs


def test_the_committed_html_documentation_is_up_to_date(full: Graph) -> None:
    committed = (ONTOLOGY_DIR / "peninsula.html").read_text(encoding="utf-8")
    assert committed == render_html(full), "run: python -m kg.ontodoc > ontology/peninsula.html"


def test_every_term_has_its_anchor_and_definition_in_the_html(full: Graph) -> None:
    page = render_html(full)
    ids = re.findall(r'<section class="term" id="([^"]+)">', page)
    assert len(ids) == len(set(ids)), "anchors are unique"
    expected = {
        local_name(t)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in pen_terms(full, kind)
    }
    assert expected <= set(ids)
    assert {"MissileLaunch", "launchingState", "ICBM", "Actual"} <= set(ids)
    assert 'href="#WeaponTest"' in page  # super-classes link to their anchors
    assert "<code>schema:Event</code>" in page  # alignments are shown
    assert "A self-propelled guided weapon." in page


def test_the_html_escapes_what_comes_from_the_ontology(core: Graph) -> None:
    g = Graph()
    for triple in core:
        g.add(triple)
    g.set((PEN.Event, SKOS.definition, Literal("<script>alert('x')</script> & more", lang="en")))
    page = render_html(g)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
