"""Canned queries: headers, typed parameters bound as terms, the ``kg query`` command in
every format, and each query on a small fixture. Their answers on the seeds are checked in
``tests/test_server/test_canned_seeds.py``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest

from kg.canned import catalogue as canned
from kg.canned import params as canned_params
from kg.canned.catalogue import CannedQuery, CannedQueryError, ParameterError
from kg.canned.params import Param
from kg.cli import main
from kg.engine.oxigraph.store import new_build_dir, publish, write_build
from kg.errors import QueryError
from kg.rdf.terms import sparql
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
QUERIES = ROOT / "queries"
ONTOLOGY = ROOT / "ontology" / "peninsula.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"
PEN = "https://w3id.org/peninsula/ontology#"

# The questions of issue 5 and their result variables, in order.
ISSUE_QUERIES: dict[str, str] = {
    "cq01-launches": "launch date state weapon weapon_class count launch_site impact_area articles",
    "cq02-launch-sources": "launch date article sentence begin end",
    "cq03-launch-reporters": "launch date reporter reporter_state anonymous articles",
    "cq04-un-compliance": "claim subject subject_date violates according_to wording article",
    "cq05-officials": "person post state start end articles",
    "cq06-meetings": "meeting date place participants articles",
    "cq07-visits": "visit date visitors visitor_states host_states places purpose articles",
    "cq08-exercises": "exercise parties start end articles",
    "cq09-dprk-statements": "statement date speaker addressees gist articles",
    "cq10-anonymous-claims": "claim source_description gist article",
    "cq11-events-before": "item type date label articles",
    "cq12-person-activity": "item type date place counterparts articles",
    "cq13-nuclear-sanctions": "item type actors targets date articles",
    "cq14-facilities": "facility location purpose reported_by articles",
    "cq15-weapon-systems": "weapon class range_km capability articles",
    "cq16-articles": "article title publisher published date_status",
    "cq17-planned-events": "item who when articles",
    "cq18-leader-meetings-claimed": "article count_claimed meetings",
    "cq19-multi-source-events": "event type date articles n",
    "cq20-cited-sources": "source claim via article",
    "cq21-places": "place located_in events articles",
}
EXTRA_QUERIES = {
    "cq-class-counts",
    "cq-article-counts",
    "cq-ontology-classes",
    "cq-ontology-properties",
    "cq-wikidata-holdings",
    "cq-source-disagreements",
    "cq-provenance",
    "cq-holders-on",
}

# Two articles telling one launch (and disagreeing on its class), a meeting, an official.
FIXTURE = """
@prefix pen: <https://w3id.org/peninsula/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix r: <https://w3id.org/peninsula/resource/> .
@prefix g: <https://w3id.org/peninsula/graph/> .

g:reference {
  r:state\\/north-korea a pen:State ; rdfs:label "North Korea" ; pen:isoCode "PRK" .
  r:state\\/united-states a pen:State ; rdfs:label "United States" .
  r:person\\/antony-blinken a pen:Person ; rdfs:label "Antony Blinken" .
  r:post\\/united-states\\/secretary-of-state a pen:Post ; rdfs:label "United States Secretary of State" ;
    pen:postIn r:state\\/united-states ; pen:role pen:ForeignMinister .
  r:holding\\/antony-blinken\\/united-states\\/secretary-of-state a pen:PostHolding ;
    pen:holder r:person\\/antony-blinken ; pen:post r:post\\/united-states\\/secretary-of-state ;
    pen:startDate "2021-01-26"^^xsd:date .
}
g:article\\/a1 {
  r:article\\/a1 a pen:Article ; rdfs:label "One" ; pen:title "One" ; pen:dateStatus pen:DateFromText ;
    pen:published "2021-03-22"^^xsd:date ; pen:text "North Korea fired two cruise missiles on Sunday." .
  r:sentence\\/a1\\/0-48 a pen:Sentence ; pen:inArticle r:article\\/a1 ; pen:beginIndex 0 ; pen:endIndex 48 ;
    pen:anchorOf "North Korea fired two cruise missiles on Sunday." .
  r:mention\\/a1\\/12-17 a pen:Mention ; pen:inArticle r:article\\/a1 ; pen:sentence r:sentence\\/a1\\/0-48 ;
    pen:beginIndex 12 ; pen:endIndex 17 ; pen:anchorOf "fired" .
  r:launch\\/2021-03-21-dprk a pen:MissileLaunch ; rdfs:label "North Korea cruise missile launch, 2021-03-21" ;
    pen:modality pen:Actual ; pen:launchingState r:state\\/north-korea ; pen:weaponClass pen:CruiseMissile ;
    pen:count 2 ; pen:date "2021-03-21"^^xsd:date ; pen:reportedIn r:article\\/a1 ;
    pen:denotedBy r:mention\\/a1\\/12-17 .
  r:holding\\/antony-blinken\\/united-states\\/secretary-of-state pen:reportedIn r:article\\/a1 .
}
g:article\\/a2 {
  r:article\\/a2 a pen:Article ; rdfs:label "Two" ; pen:dateStatus pen:DateUnknown ; pen:text "Missiles flew." .
  r:launch\\/2021-03-21-dprk a pen:MissileLaunch ; pen:launchingState r:state\\/north-korea ;
    pen:weaponClass pen:ShortRangeMissile ; pen:reportedIn r:article\\/a2 .
  r:launch\\/planned a pen:MissileLaunch ; pen:modality pen:Predicted ; pen:launchingState r:state\\/north-korea ;
    pen:reportedIn r:article\\/a2 .
  r:talks\\/2021-03-18-x a pen:Talks ; pen:participant r:person\\/antony-blinken , r:state\\/north-korea ;
    pen:date "2021-03-18"^^xsd:date ; pen:reportedIn r:article\\/a2 ; rdfs:label "Talks" .
}
"""
R = "https://w3id.org/peninsula/resource/"
LAUNCH = R + "launch/2021-03-21-dprk"


def _dataset() -> list[ox.Quad]:
    quads = list(ox.parse(FIXTURE, format=ox.RdfFormat.TRIG))
    onto = ox.NamedNode("https://w3id.org/peninsula/graph/ontology")
    quads += [ox.Quad(t.subject, t.predicate, t.object, onto) for t in ox.parse(path=str(ONTOLOGY))]
    return quads


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The fixture in memory, with the default graph as the set-union of its graphs."""
    s = ox.Store()
    for q in _dataset():
        s.add(q)
        s.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
    return s


@pytest.fixture(scope="module")
def store_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture published as an on-disk store, for the CLI."""
    folder = tmp_path_factory.mktemp("canned") / "store"
    build = new_build_dir(folder)
    write_build(build, _dataset())
    publish(folder, build)
    return Settings.load({"store": folder}, env={})


@pytest.fixture(scope="module")
def queries() -> dict[str, CannedQuery]:
    return canned.load_queries(QUERIES)


def select(store: ox.Store, query: CannedQuery, **params: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    results = store.query(canned.prepare(query, params))
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in results]


# --------------------------------------------------------------------- headers


def test_every_issue_query_and_the_extras_exist(queries: dict[str, CannedQuery]) -> None:
    assert set(ISSUE_QUERIES) | EXTRA_QUERIES <= set(queries)


@pytest.mark.parametrize("name", sorted([*ISSUE_QUERIES, *EXTRA_QUERIES]))
def test_header_has_title_description_and_a_runnable_example(
    name: str, queries: dict[str, CannedQuery]
) -> None:
    query = queries[name]
    assert query.title and query.title != name
    assert len(query.description) > 20
    assert query.example.startswith(f"kg query {name}")
    for param in query.params:
        assert param.type in canned_params.PARAM_TYPES


@pytest.mark.parametrize("name", sorted(ISSUE_QUERIES))
def test_result_variables_are_those_of_the_issue(
    name: str, queries: dict[str, CannedQuery], store: ox.Store
) -> None:
    results = store.query(canned.prepare(queries[name], {}))
    assert isinstance(results, ox.QuerySolutions)
    assert [v.value for v in results.variables] == ISSUE_QUERIES[name].split()


@pytest.mark.parametrize("name", sorted([*ISSUE_QUERIES, *EXTRA_QUERIES]))
def test_every_query_parses_and_runs_on_the_fixture(
    name: str, queries: dict[str, CannedQuery], store: ox.Store
) -> None:
    results = store.query(canned.prepare(queries[name], {}))
    list(results)  # evaluation errors surface while iterating


def test_header_parsing() -> None:
    text = (
        "# title: A test\n# description: first line\n#   and its continuation\n"
        "# param: when xsd:date = 2021-03-23 -- the day\n# param: who iri\n"
        "# example: kg query t --param when=2021-01-01\nSELECT ?x WHERE { ?x ?p ?param_who }\n"
    )
    query = canned.parse_query(text, "t")
    assert query.title == "A test"
    assert query.description == "first line and its continuation"
    assert query.params == (Param("when", "xsd:date", "2021-03-23", "the day"), Param("who", "iri", None, ""))
    assert query.example == "kg query t --param when=2021-01-01"


@pytest.mark.parametrize(
    "line",
    ["# param: x xsd:float = 1", "# param: 1x xsd:date", "# param: d xsd:date = tomorrow", "# param: only"],
)
def test_malformed_param_lines_are_rejected(line: str) -> None:
    with pytest.raises(CannedQueryError):
        canned.parse_query(f"{line}\nSELECT * {{ ?s ?p ?o }}", "bad")


def test_unknown_query_names_the_known_ones() -> None:
    with pytest.raises(CannedQueryError, match="cq01-launches"):
        canned.find_query("no-such-query", QUERIES)


# --------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        ("xsd:date", "2021-03-23", '"2021-03-23"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ("xsd:integer", "-7", '"-7"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("xsd:nonNegativeInteger", "7", '"7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'),
        ("xsd:decimal", "4.5", '"4.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        ("xsd:boolean", "1", '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        ("xsd:gYear", "2006", '"2006"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
        ("xsd:gYearMonth", "2019-02", '"2019-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
        ("xsd:string", 'say "hi"', '"say \\"hi\\""'),
        ("iri", "pen:launchingState", "<https://w3id.org/peninsula/ontology#launchingState>"),
        ("iri", "<https://example.org/a>", "<https://example.org/a>"),
        ("term", "pen:CruiseMissile", "<https://w3id.org/peninsula/ontology#CruiseMissile>"),
        ("term", '"2"^^xsd:integer', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("term", '"Kim"@en', '"Kim"@en'),
        ("term", "North Korea", '"North Korea"'),
        ("term", "https://example.org/x", "<https://example.org/x>"),
    ],
)
def test_values_become_typed_terms(type_: str, value: str, expected: str) -> None:
    assert sparql(canned_params.to_term(Param("p", type_), value)) == expected


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("xsd:date", "2021-02-30"),
        ("xsd:date", "20210323"),
        ("xsd:date", "yesterday"),
        ("xsd:nonNegativeInteger", "-1"),
        ("xsd:integer", "7.5"),
        ("xsd:boolean", "yes"),
        ("xsd:gYearMonth", "2019-13"),
        ("iri", "not an iri"),
        ("iri", "relative/path"),
        ("iri", "https://example.org/a> } ; DROP ALL ; #"),
        ("term", '"a" . <urn:x> <urn:y> <urn:z>'),
        ("term", '"a" , "b"'),
    ],
)
def test_bad_values_raise_an_error_naming_the_parameter(type_: str, value: str) -> None:
    with pytest.raises(ParameterError, match="parameter 'p'") as info:
        canned_params.to_term(Param("p", type_), value)
    assert info.value.param == "p"


def test_defaults_apply_and_unknown_parameters_are_refused(queries: dict[str, CannedQuery]) -> None:
    query = queries["cq11-events-before"]
    bound = canned.bind(query, {"days": "3"})
    assert sparql(bound["date"]) == '"2021-03-23"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert sparql(bound["days"]) == '"3"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
    with pytest.raises(ParameterError, match="parameter 'day'"):
        canned.bind(query, {"day": "3"})
    with pytest.raises(ParameterError, match="parameter 'date'"):
        canned.bind(query, {"date": '2021-01-01" } ; DROP ALL ; #'})


def test_an_injection_attempt_in_a_string_stays_one_literal(store: ox.Store) -> None:
    query = canned.parse_query(
        "# param: name xsd:string = x\nSELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?param_name }",
        "t",
    )
    attack = 'North Korea" } UNION { ?s ?p ?o } #'
    text = canned.prepare(query, {"name": attack})
    assert list(store.query(text)) == []  # no such label: the UNION never became syntax
    values = store.query(text.replace("SELECT ?s", "SELECT ?param_name"))
    assert isinstance(values, ox.QuerySolutions)
    assert text.count("UNION") == 1 and '\\"' in text
    plain = canned.prepare(query, {"name": "North Korea"})
    assert [r[0].value for r in store.query(plain)] == [R + "state/north-korea"]  # type: ignore[union-attr]


def test_values_go_at_the_start_of_the_where_clause_not_into_comments_or_templates() -> None:
    text = (
        '# WHERE { in a comment\nPREFIX ex: <http://ex/where>\nCONSTRUCT { ?s ex:p "WHERE {" }\n'
        "WHERE { ?s ex:p ?param_o . { SELECT ?s WHERE { ?s ?p ?o } } }"
    )
    out = canned_params.inject_values(text, "VALUES (?param_o) { (1) }")
    assert out.count("VALUES") == 1
    assert "WHERE { VALUES (?param_o) { (1) }  ?s ex:p ?param_o" in out
    ox.Store().query(out)  # still a valid query
    with pytest.raises(QueryError, match="short form"):
        canned_params.inject_values("CONSTRUCT WHERE { ?s ?p ?o }", "VALUES (?param_o) { (1) }")


def test_an_omitted_parameter_without_default_matches_anything(
    queries: dict[str, CannedQuery], store: ox.Store
) -> None:
    query = queries["cq-provenance"]
    everything = select(store, query, predicate="pen:weaponClass")
    assert {r["object"].value for r in everything} == {
        "https://w3id.org/peninsula/ontology#CruiseMissile",
        "https://w3id.org/peninsula/ontology#ShortRangeMissile",
    }
    one = select(store, query, predicate="pen:weaponClass", object="pen:CruiseMissile")
    assert {r["graph"].value for r in one} == {"https://w3id.org/peninsula/graph/article/a1"}
    assert {r["sentence"].value for r in one} == {"North Korea fired two cruise missiles on Sunday."}


# --------------------------------------------------------------------- queries on the fixture


def test_launches_list_the_launch_once_with_every_reading_in_its_cells(
    queries: dict[str, CannedQuery], store: ox.Store
) -> None:
    rows = select(store, queries["cq01-launches"])
    assert [r["launch"].value for r in rows] == [LAUNCH]  # one row; the predicted launch is left out
    (row,) = rows
    # the two articles disagree on the class: both readings, in IRI order, in one cell
    assert row["weapon_class"] == ox.Literal(PEN + "CruiseMissile; " + PEN + "ShortRangeMissile")
    assert row["articles"] == ox.Literal(R + "article/a1; " + R + "article/a2")
    # where the articles agree, or only one tells, the cell is the term itself
    assert row["state"] == ox.NamedNode(R + "state/north-korea")
    assert row["count"] == ox.Literal("2", datatype=ox.NamedNode(XSD + "integer"))
    assert row["date"] == ox.Literal("2021-03-21", datatype=ox.NamedNode(XSD + "date"))


def test_events_before_honours_date_and_days(queries: dict[str, CannedQuery], store: ox.Store) -> None:
    query = queries["cq11-events-before"]
    default = {r["item"].value for r in select(store, query)}
    assert default == {LAUNCH, R + "talks/2021-03-18-x"}
    assert {r["item"].value for r in select(store, query, date="2021-03-23", days="2")} == {LAUNCH}
    assert {r["item"].value for r in select(store, query, date="2021-03-20", days="2")} == {
        R + "talks/2021-03-18-x"
    }
    assert select(store, query, date="2021-03-17", days="30") == []


def test_person_activity_finds_the_person_by_name_in_any_case(
    queries: dict[str, CannedQuery], store: ox.Store
) -> None:
    query = queries["cq12-person-activity"]
    rows = select(store, query, person="antony BLINKEN")
    assert [(r["item"].value, r["counterparts"], r["articles"]) for r in rows] == [
        (R + "talks/2021-03-18-x", ox.Literal(R + "state/north-korea"), ox.Literal(R + "article/a2"))
    ]  # the others in the talks: a list, without Blinken himself
    assert select(store, query, person="Nobody") == []


def test_disagreements_show_every_value_with_its_articles(
    queries: dict[str, CannedQuery], store: ox.Store
) -> None:
    rows = select(store, queries["cq-source-disagreements"])
    assert {
        (r["property"].value.rsplit("#")[1], r["value"].value.rsplit("#")[-1], r["articles"].value)
        for r in rows
    } == {
        ("weaponClass", "CruiseMissile", R + "article/a1"),
        ("weaponClass", "ShortRangeMissile", R + "article/a2"),
    }


def test_multi_source_events(queries: dict[str, CannedQuery], store: ox.Store) -> None:
    rows = select(store, queries["cq19-multi-source-events"])
    assert {(r["event"].value, r["n"].value) for r in rows} == {(LAUNCH, "2")}


def test_officials_and_wikidata_shape(queries: dict[str, CannedQuery], store: ox.Store) -> None:
    rows = select(store, queries["cq05-officials"])
    assert [(r["person"].value, r["state"].value, r["start"].value) for r in rows] == [
        (R + "person/antony-blinken", R + "state/united-states", "2021-01-26")
    ]
    graph = list(store.query(canned.prepare(queries["cq-wikidata-holdings"], {})))
    holding = ox.NamedNode(R + "holding/antony-blinken/united-states/secretary-of-state")
    p580 = ox.NamedNode("http://www.wikidata.org/prop/qualifier/P580")
    p39 = ox.NamedNode("http://www.wikidata.org/prop/P39")
    assert ox.Triple(ox.NamedNode(R + "person/antony-blinken"), p39, holding) in graph
    assert ox.Triple(holding, p580, ox.Literal("2021-01-26", datatype=ox.NamedNode(XSD + "date"))) in graph


# --------------------------------------------------------------------- the kg query command


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["query", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_is_sparql_results(store_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "cq16-articles", "--store", str(store_settings.store), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"] == ISSUE_QUERIES["cq16-articles"].split()
    assert {b["article"]["value"] for b in data["results"]["bindings"]} == {
        R + "article/a1",
        R + "article/a2",
    }


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_cli_csv_and_tsv(
    fmt: str, sep: str, store_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys,
        "cq11-events-before",
        "--param",
        "days=2",
        "--store",
        str(store_settings.store),
        "--format",
        fmt,
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].replace("?", "") == sep.join(ISSUE_QUERIES["cq11-events-before"].split())
    assert len(lines) == 2  # the launch, once; the articles that report it in one cell
    assert "2021-03-21-dprk" in lines[1]
    assert lines[1].rsplit(sep, 1)[1].strip('"').split("; ") == [R + "article/a1", R + "article/a2"]


def test_cli_table_shortens_iris(store_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "cq01-launches", "--store", str(store_settings.store))
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split() == ISSUE_QUERIES["cq01-launches"].split()
    assert set(rule) <= {"-", " "}
    assert rows[-1] == "(1 row)"
    assert "res:launch/2021-03-21-dprk" in rows[0]
    assert "pen:CruiseMissile; pen:ShortRangeMissile" in rows[0]  # every IRI of a joined cell shortened
    assert "res:article/a1; res:article/a2" in rows[0]


def test_cli_ttl_for_construct_and_refused_for_select(
    store_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "cq-wikidata-holdings", "--store", str(store_settings.store), "--format", "ttl"
    )
    assert code == 0
    graph = list(ox.parse(out, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://www.wikidata.org/prop/statement/P39" for t in graph)
    code, _, err = _run(capsys, "cq01-launches", "--store", str(store_settings.store), "--format", "ttl")
    assert code == 2 and "use table, json, csv or tsv" in err


def test_cli_bad_parameter_names_it(store_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "cq11-events-before", "--param", "date=soon", "--store", str(store_settings.store)
    )
    assert code == 2 and out == ""
    assert "parameter 'date'" in err
    code, _, err = _run(capsys, "cq11-events-before", "--param", "days", "--store", str(store_settings.store))
    assert code == 2 and "parameter 'days'" in err


def test_cli_runs_a_query_file(
    tmp_path: Path, store_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "# title: Mine\n# param: cls iri = pen:State\nSELECT ?s WHERE { ?s a ?param_cls } ORDER BY ?s\n",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, str(path), "--store", str(store_settings.store), "--format", "csv")
    assert code == 0
    assert out.split() == ["s", R + "state/north-korea", R + "state/united-states"]
    code, out, _ = _run(
        capsys,
        str(path),
        "--param",
        "cls=pen:Person",
        "--store",
        str(store_settings.store),
        "--format",
        "csv",
    )
    assert out.split() == ["s", R + "person/antony-blinken"]


def test_cli_without_a_store_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "cq01-launches", "--store", str(tmp_path / "none"))
    assert code == 2 and "kg build" in err


class _Endpoint(BaseHTTPRequestHandler):
    """A minimal SPARQL 1.1 Protocol endpoint over the fixture, on loopback."""

    store: ox.Store

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        ctype = self.headers.get("Content-Type", "")
        text = parse_qs(body)["query"][0] if "form-urlencoded" in ctype else body
        accept = self.headers.get("Accept", "")
        results = self.store.query(text)
        if isinstance(results, ox.QueryTriples):
            payload = ox.serialize(list(results), format=ox.RdfFormat.TURTLE) or b""
            mime = "text/turtle"
        else:
            fmt = {
                "text/csv": ox.QueryResultsFormat.CSV,
                "text/tab-separated-values": ox.QueryResultsFormat.TSV,
            }.get(accept.split(",")[0].strip(), ox.QueryResultsFormat.JSON)
            payload = results.serialize(format=fmt) or b""
            mime = "text/csv" if fmt == ox.QueryResultsFormat.CSV else "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def endpoint(store: ox.Store) -> Iterator[str]:
    handler = type("Handler", (_Endpoint,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ttl"])
def test_cli_remote_endpoint(fmt: str, endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    name = "cq-wikidata-holdings" if fmt == "ttl" else "cq11-events-before"
    code, out, err = (
        _run(capsys, name, "--param", "days=2", "--endpoint", endpoint, "--format", fmt)
        if fmt != "ttl"
        else _run(capsys, name, "--endpoint", endpoint, "--format", fmt)
    )
    assert code == 0, err
    if fmt == "json":
        assert [b["item"]["value"] for b in json.loads(out)["results"]["bindings"]] == [LAUNCH]
    elif fmt == "table":
        assert "res:launch/2021-03-21-dprk" in out and out.rstrip().endswith("(1 row)")
    elif fmt == "csv":
        assert out.splitlines()[0] == "item,type,date,label,articles"
    else:
        assert list(ox.parse(out, format=ox.RdfFormat.TURTLE))


def test_docs_list_every_query_with_its_variables(queries: dict[str, CannedQuery]) -> None:
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in docs.splitlines() if line.startswith("| `")}
    assert set(rows) == set(queries)
    for name, variables in ISSUE_QUERIES.items():
        assert rows[name].rstrip(" |").endswith(", ".join(variables.split())), name
    for name, query in queries.items():  # title, description and key as the header has them
        cells = [c.strip() for c in rows[name].strip(" |").split(" | ")]
        assert cells[1] == f"**{query.title}.** {query.description}", name
        assert cells[3] == (", ".join(query.key) or "—"), name
