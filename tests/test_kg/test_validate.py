"""kg.validate.graph and `kg validate`: the example graph passes; each way of breaking it is
reported with the shapes' message (or, for an OWL contradiction, by the reasoner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.cli import main
from kg.namespaces import PEN
from kg.settings import data_dir
from kg.validate.graph import (
    ReasonerResult,
    ValidationInputError,
    ValidationReport,
    dataset_from_store,
    explain_inconsistency,
    load_ontology,
    validate,
    validate_files,
)

ONTOLOGY_DIR = data_dir("ontology")
DATA = Path(__file__).resolve().parent.parent / "data" / "ontology"
GOOD = DATA / "example-good.ttl"
BAD = DATA / "example-bad.ttl"

PREFIXES = """
PREFIX pen: <https://w3id.org/peninsula/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
LAUNCH = "<https://w3id.org/peninsula/resource/launch/2021-03-21-north-korea-cruise-missile>"
HOLDING = "<https://w3id.org/peninsula/resource/holding/toshimitsu-motegi/japan/foreign-minister>"
MENTION = "<https://w3id.org/peninsula/resource/mention/example-launch/0-11>"
ARTICLE = "<https://w3id.org/peninsula/resource/article/example-launch>"
CLAIM = "<https://w3id.org/peninsula/resource/claim/example-launch/69-96>"
MOTEGI = "<https://w3id.org/peninsula/resource/person/toshimitsu-motegi>"
JAPAN = "<https://w3id.org/peninsula/resource/state/japan>"
SENTENCE_2 = "<https://w3id.org/peninsula/resource/sentence/example-launch/98-164>"
SOURCE = "<https://w3id.org/peninsula/resource/source/example-launch/69-91>"
BASE = "<https://w3id.org/peninsula/resource/place/example-launch/missile-base>"
WEAPON = "<https://w3id.org/peninsula/resource/weapon/hwasong-12>"


def good_graph() -> Graph:
    return Graph().parse(GOOD, format="turtle")


def broken(update: str) -> Graph:
    g = good_graph()
    g.update(PREFIXES + update)
    return g


# (id, SPARQL update that breaks the good graph, focus node, message the report must give)
SHACL_CASES = [
    (
        "event-without-label",
        f"DELETE WHERE {{ {LAUNCH} rdfs:label ?l }}",
        LAUNCH,
        "An event has at least one rdfs:label",
    ),
    (
        "person-without-label",
        f"DELETE WHERE {{ {MOTEGI} rdfs:label ?l }}",
        MOTEGI,
        "has at least one rdfs:label",
    ),
    (
        "label-without-language-tag",
        f'DELETE WHERE {{ {JAPAN} rdfs:label ?l }} ; INSERT DATA {{ {JAPAN} rdfs:label "Japan" }}',
        JAPAN,
        "an English (@en) string",
    ),
    (
        "label-in-another-language",
        f'DELETE WHERE {{ {JAPAN} rdfs:label ?l }} ; INSERT DATA {{ {JAPAN} rdfs:label "日本"@ja }}',
        JAPAN,
        "an English (@en) string",
    ),
    (
        "holding-bounds-reversed",
        f'DELETE WHERE {{ {HOLDING} pen:latest ?d }} ; INSERT DATA {{ {HOLDING} pen:latest "2019-01-01"^^xsd:date }}',
        HOLDING,
        "A post holding has at most one pen:earliest",
    ),
    (
        "holding-bound-not-a-day",
        f'DELETE WHERE {{ {HOLDING} pen:earliest ?d }} ; INSERT DATA {{ {HOLDING} pen:earliest "2019-09"^^xsd:gYearMonth }}',
        HOLDING,
        "A post holding has at most one pen:earliest",
    ),
    (
        "alias-without-language-tag",
        f'INSERT DATA {{ {JAPAN} skos:altLabel "Nippon" }}',
        JAPAN,
        "An alternative label (skos:altLabel) carries a language tag",
    ),
    (
        "two-preferred-labels-in-one-language",
        f'INSERT DATA {{ {JAPAN} skos:prefLabel "日本"@ja, "日本国"@ja }}',
        JAPAN,
        "at most one per language",
    ),
    (
        "begin-after-end",
        f"DELETE WHERE {{ {MENTION} pen:beginIndex ?b }} ;"
        f' INSERT DATA {{ {MENTION} pen:beginIndex "12"^^xsd:nonNegativeInteger }}',
        MENTION,
        "not greater than its pen:endIndex",
    ),
    (
        "offset-as-decimal",
        f"DELETE WHERE {{ {MENTION} pen:endIndex ?e }} ; INSERT DATA {{ {MENTION} pen:endIndex 11.0 }}",
        MENTION,
        "exactly one pen:endIndex, a non-negative integer",
    ),
    (
        "anchor-not-the-text",
        f'DELETE WHERE {{ {MENTION} pen:anchorOf ?a }} ; INSERT DATA {{ {MENTION} pen:anchorOf "North Korean" }}',
        MENTION,
        "is not the text of its article between its offsets",
    ),
    (
        "mention-outside-its-sentence",
        f"DELETE WHERE {{ {MENTION} pen:sentence ?s }} ;"
        f" INSERT DATA {{ {MENTION} pen:sentence {SENTENCE_2} }}",
        MENTION,
        "does not lie inside its pen:sentence",
    ),
    (
        "mention-without-sentence",
        f"DELETE WHERE {{ {MENTION} pen:sentence ?s }}",
        MENTION,
        "A mention has exactly one pen:sentence",
    ),
    (
        "post-holding-without-holder",
        f"DELETE WHERE {{ {HOLDING} pen:holder ?h }}",
        HOLDING,
        "A post holding has exactly one pen:holder, a pen:Person",
    ),
    (
        "holder-not-a-person",
        f"DELETE WHERE {{ {HOLDING} pen:holder ?h }} ; INSERT DATA {{ {HOLDING} pen:holder {JAPAN} }}",
        HOLDING,
        "A post holding has exactly one pen:holder, a pen:Person",
    ),
    (
        "holding-ends-before-it-starts",
        f'DELETE WHERE {{ {HOLDING} pen:endDate ?e }} ; INSERT DATA {{ {HOLDING} pen:endDate "2018-01"^^xsd:gYearMonth }}',
        HOLDING,
        "is after its pen:endDate",
    ),
    (
        "date-as-datetime",
        f'DELETE WHERE {{ {LAUNCH} pen:date ?d }} ; INSERT DATA {{ {LAUNCH} pen:date "2021-03-21T00:00:00"^^xsd:dateTime }}',
        LAUNCH,
        "pen:date is an xsd:date, xsd:gYearMonth or xsd:gYear literal",
    ),
    (
        "date-precision-mismatch",
        f'DELETE WHERE {{ {LAUNCH} pen:date ?d }} ; INSERT DATA {{ {LAUNCH} pen:date "2021"^^xsd:gYear }}',
        LAUNCH,
        "does not match its pen:datePrecision",
    ),
    (
        "earliest-after-latest",
        f'DELETE WHERE {{ {LAUNCH} pen:earliest ?d }} ; INSERT DATA {{ {LAUNCH} pen:earliest "2021-03-25"^^xsd:date }}',
        LAUNCH,
        "not after its pen:latest",
    ),
    (
        "event-without-modality",
        f"DELETE WHERE {{ {LAUNCH} pen:modality ?m }}",
        LAUNCH,
        "An event has a pen:modality",
    ),
    (
        "event-without-mention",
        f"DELETE WHERE {{ {LAUNCH} pen:denotedBy ?m }}",
        LAUNCH,
        "An event has at least one pen:denotedBy",
    ),
    (
        "launching-state-not-a-state",
        f"DELETE WHERE {{ {LAUNCH} pen:launchingState ?s }} ;"
        f" INSERT DATA {{ {LAUNCH} pen:launchingState {MOTEGI} }}",
        LAUNCH,
        "The pen:launchingState of a launch or nuclear test is a pen:State",
    ),
    (
        "confidence-above-one",
        f"DELETE WHERE {{ {LAUNCH} pen:confidence ?c }} ; INSERT DATA {{ {LAUNCH} pen:confidence 1.5 }}",
        LAUNCH,
        "pen:confidence is an xsd:decimal between 0 and 1",
    ),
    (
        "claim-polarity-as-string",
        f'DELETE WHERE {{ {CLAIM} pen:polarity ?p }} ; INSERT DATA {{ {CLAIM} pen:polarity "yes" }}',
        CLAIM,
        "A claim has exactly one pen:polarity, an xsd:boolean",
    ),
    (
        "claim-without-source",
        f"DELETE WHERE {{ {CLAIM} pen:claimedBy ?s }}",
        CLAIM,
        "A claim has a pen:claimedBy",
    ),
    (
        "article-without-text",
        f"DELETE WHERE {{ {ARTICLE} pen:text ?t }}",
        ARTICLE,
        "An article has exactly one pen:text",
    ),
    (
        "anonymous-source-not-anonymous",
        f'INSERT DATA {{ {SOURCE} a pen:AnonymousSource ; rdfs:label "officials" ;'
        ' pen:description "officials" ; pen:anonymous false }',
        SOURCE,
        "An anonymous source has pen:anonymous true",
    ),
    (
        "facility-located-in-a-person",
        f'INSERT DATA {{ {BASE} a pen:MilitaryFacility ; rdfs:label "missile base" ; pen:locatedIn {MOTEGI} }}',
        BASE,
        "A place's pen:locatedIn is a pen:Place or a pen:State",
    ),
    (
        "facility-purpose-not-a-string",
        f'INSERT DATA {{ {BASE} a pen:MilitaryFacility ; rdfs:label "missile base" ; pen:purpose 5 }}',
        BASE,
        "A facility's pen:purpose is a plain string",
    ),
    (
        "weapon-capability-with-language-tag",
        f'INSERT DATA {{ {WEAPON} a pen:WeaponSystem ; rdfs:label "Hwasong-12" ;'
        ' pen:capability "capable of hitting Guam"@en }',
        WEAPON,
        "A weapon system's pen:capability is a plain string",
    ),
]


@pytest.fixture(scope="module")
def good_report() -> ValidationReport:
    return validate(good_graph(), ontology_dir=ONTOLOGY_DIR, reasoner=False)


def test_the_example_graph_conforms_to_the_shapes(good_report: ValidationReport) -> None:
    assert good_report.conforms, good_report.summary()
    assert good_report.violations == ()
    assert good_report.reasoner is None
    assert "the OWL reasoner was not run" in good_report.summary()


@pytest.mark.parametrize(
    ("update", "focus", "message"), [c[1:] for c in SHACL_CASES], ids=[c[0] for c in SHACL_CASES]
)
def test_a_broken_graph_fails_with_the_shapes_message(update: str, focus: str, message: str) -> None:
    report = validate(broken(update), ontology_dir=ONTOLOGY_DIR, reasoner=False)
    assert not report.conforms
    matching = [v for v in report.errors if message in v.message]
    assert matching, report.summary()
    assert any(v.focus == focus for v in matching), report.summary()
    assert message in report.summary()


def test_a_warning_is_reported_but_does_not_fail() -> None:
    report = validate(
        broken(f"INSERT DATA {{ {LAUNCH} pen:modality pen:Planned }}"),
        ontology_dir=ONTOLOGY_DIR,
        reasoner=False,
    )
    assert report.conforms, report.summary()
    assert [v.severity for v in report.violations] == ["Warning"]
    assert "sources disagree" in report.summary()


def test_a_dataset_is_checked_as_the_union_and_problems_name_their_graph() -> None:
    good = good_graph()
    ds = Dataset()
    article_graph = URIRef("https://w3id.org/peninsula/graph/article/example-launch")
    runs_graph = URIRef("https://w3id.org/peninsula/graph/runs")
    run = URIRef("https://w3id.org/peninsula/resource/run/0.1.0-en-core-web-sm-3.8.0")
    for s, p, o in good:
        ds.graph(runs_graph if s == run else article_graph).add((s, p, o))
    assert validate(ds, ontology_dir=ONTOLOGY_DIR, reasoner=False).conforms

    ds.graph(article_graph).remove((URIRef(HOLDING.strip("<>")), PEN.holder, None))
    report = validate(ds, ontology_dir=ONTOLOGY_DIR, reasoner=False)
    [error] = report.errors
    assert error.graphs == (f"<{article_graph}>",)
    assert f"[in <{article_graph}>]" in report.summary()


def test_validate_does_not_modify_its_input() -> None:
    g = good_graph()
    before = len(g)
    validate(g, ontology_dir=ONTOLOGY_DIR, reasoner=False)
    assert len(g) == before


def test_files_in_any_rdf_format_are_read_by_extension(tmp_path: Path) -> None:
    g = good_graph()
    paths = []
    for ext, fmt in (("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld")):
        path = tmp_path / f"example.{ext}"
        g.serialize(path, format=fmt, encoding="utf-8")
        paths.append(path)
    for path in paths:
        assert validate_files([path], ontology_dir=ONTOLOGY_DIR, reasoner=False).conforms, path
    trig = tmp_path / "example.trig"
    store = ox.Store()
    store.load(
        GOOD.read_bytes(),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://w3id.org/peninsula/graph/article/example-launch"),
    )
    store.dump(str(trig), format=ox.RdfFormat.TRIG)
    assert validate_files([trig], ontology_dir=ONTOLOGY_DIR, reasoner=False).conforms


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("data.xyz", "", "cannot tell the RDF format"),
        ("data.ttl", "this is not turtle", "not valid RDF"),
    ],
)
def test_unreadable_files_are_input_errors(tmp_path: Path, name: str, content: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationInputError, match=problem):
        validate_files([path], ontology_dir=ONTOLOGY_DIR, reasoner=False)


def test_a_store_is_read_into_a_dataset_with_its_graphs(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    graph = ox.NamedNode("https://w3id.org/peninsula/graph/article/example-launch")
    store.load(GOOD.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=graph)
    ds = dataset_from_store(store)
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {graph.value}
    assert len(list(ds.quads((None, None, None, None)))) == len(good_graph())


def test_explanations_name_disjoint_types_functional_clashes_and_ranges() -> None:
    data = broken(
        f"INSERT DATA {{ {MOTEGI} a pen:State . {CLAIM} pen:polarity false . {LAUNCH} pen:count -2 }}"
    )
    causes = "\n".join(explain_inconsistency(data + load_ontology(ONTOLOGY_DIR)))
    assert "person/toshimitsu-motegi> is both pen:Person and pen:State, which are disjoint" in causes
    assert "values of the functional pen:polarity" in causes
    assert "outside the range xsd:nonNegativeInteger of pen:count" in causes


def test_the_summary_reports_the_reasoner_verdict() -> None:
    inconsistent = ValidationReport(
        conforms=False,
        triples=3,
        reasoner=ReasonerResult(consistent=False, causes=("<x> is both pen:A and pen:B",), seconds=1.0),
    )
    text = inconsistent.summary()
    assert "DOES NOT CONFORM" in text
    assert "OWL reasoner (HermiT, 1.0 s): INCONSISTENT" in text
    assert "likely cause: <x> is both pen:A and pen:B" in text
    unsat = ValidationReport(
        conforms=False, triples=3, reasoner=ReasonerResult(consistent=True, unsatisfiable=("pen:Odd",))
    )
    assert "unsatisfiable class: pen:Odd" in unsat.summary()


# --------------------------------------------------------------------------- with HermiT


@pytest.fixture(scope="module")
def java() -> Iterator[None]:
    import shutil

    import owlready2

    if shutil.which(owlready2.JAVA_EXE) is None:  # pragma: no cover - the set-up installs Java
        pytest.fail("Java is required for the reasoner tests; run scripts/install-system-deps.sh")
    yield


@pytest.mark.reasoner
def test_the_example_graph_is_consistent(java: None) -> None:
    report = validate(good_graph(), ontology_dir=ONTOLOGY_DIR)
    assert report.conforms, report.summary()
    assert report.reasoner is not None and report.reasoner.ok
    assert "OWL reasoner (HermiT" in report.summary() and ": consistent" in report.summary()


@pytest.mark.reasoner
def test_a_person_typed_as_a_state_is_an_owl_inconsistency(java: None) -> None:
    data = broken(f"INSERT DATA {{ {MOTEGI} a pen:State }}")
    report = validate(data, ontology_dir=ONTOLOGY_DIR)
    assert not report.conforms
    assert report.errors == (), "the shapes alone cannot see this one"
    assert report.reasoner is not None and report.reasoner.consistent is False
    assert any("is both pen:Person and pen:State" in c for c in report.reasoner.causes)
    assert "INCONSISTENT" in report.summary()


@pytest.mark.reasoner
def test_cli_validates_files_and_exits_0_or_1(java: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOOD)]) == 0
    out = capsys.readouterr().out
    assert "conforms" in out and "consistent" in out
    assert main(["validate", str(BAD)]) == 1
    out = capsys.readouterr().out
    assert "DOES NOT CONFORM" in out
    assert "A post holding has exactly one pen:holder" in out
    assert "INCONSISTENT" in out


@pytest.mark.reasoner
def test_cli_validates_the_published_store(
    java: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_dir = tmp_path / "store"
    build = store_dir / "builds" / "b1"
    build.parent.mkdir(parents=True)
    store = ox.Store(str(build))
    store.load(GOOD.read_bytes(), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    (store_dir / "current").symlink_to(build)
    assert main(["validate", "--store", str(store_dir)]) == 0
    assert "Validated 155 triples: conforms" in capsys.readouterr().out


def test_cli_without_a_store_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(tmp_path / "none")]) == 2
    assert "no published build" in capsys.readouterr().err


SPARQL_CASES = [
    c
    for c in SHACL_CASES
    if c[0]
    in {
        "anchor-not-the-text",
        "mention-outside-its-sentence",
        "holding-ends-before-it-starts",
        "date-precision-mismatch",
        "offset-as-decimal",
    }
]


@pytest.mark.parametrize("update", [c[1] for c in SPARQL_CASES], ids=[c[0] for c in SPARQL_CASES])
def test_bulk_sparql_constraints_give_pyshacls_results(update: str) -> None:
    """kg.validate.graph evaluates the shapes' SPARQL constraints once over all focus nodes; the
    results must be those pySHACL gives by running them node by node."""
    from rdflib import SH

    from kg.validate.graph import _load_shapes, run_shacl

    data, ontology, shapes = broken(update), load_ontology(ONTOLOGY_DIR), _load_shapes(ONTOLOGY_DIR)

    def results(bulk: bool) -> set[tuple[str, str]]:
        conforms, graph, _text = run_shacl(data, ontology=ontology, shapes=shapes, bulk_sparql=bulk)
        assert not conforms
        return {
            (str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.resultMessage)))
            for r in graph.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)
        }

    assert results(bulk=True) == results(bulk=False)
