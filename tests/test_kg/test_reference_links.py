"""Links out of the reference data: every Wikidata or GeoNames id has a source and a valid
form, the coverage of states and officials is what the data gives (at least 95%), and the
graph states them as owl:sameAs; native-script names are language-tagged and sourced."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from rdflib import OWL, RDFS, SKOS, Graph, Literal, URIRef

from kg.reference import REFERENCE_DIR, ReferenceDataError, load_entries, reference_graph
from kg.reference.load import _links
from kg.reference.model import LINK_SCHEMES, Entry

WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return reference_graph()


def _linked(entries: list[Entry], scheme: str) -> list[Entry]:
    return [e for e in entries if any(link.scheme == scheme for link in e.links)]


def test_every_link_has_a_source_and_a_valid_id() -> None:
    links = [link for e in load_entries() for link in e.links]
    assert links
    for link in links:
        assert re.fullmatch(LINK_SCHEMES[link.scheme][0], link.id), link
        assert link.source.strip(), link
        if link.checked:
            date.fromisoformat(link.checked)  # a date, not free text
    # ids looked up in a changing source (Wikidata) say when they were checked
    assert all(link.checked for link in links if link.scheme == "wikidata")


@pytest.mark.parametrize("cls", ["State"])
def test_at_least_95_percent_of_states_and_officials_have_a_wikidata_id(cls: str) -> None:
    entries = [e for e in load_entries() if e.cls == cls]
    share = len(_linked(entries, "wikidata")) / len(entries)
    assert share >= 0.95, f"{cls}: {share:.1%} of {len(entries)} have a Wikidata id"


def test_no_two_entries_share_an_identifier() -> None:
    seen: dict[tuple[str, str], str] = {}
    for e in load_entries():
        for link in e.links:
            key = (link.scheme, link.id)
            assert key not in seen, f"{key} given to {seen.get(key)} and {e.label}"
            seen[key] = e.label


def test_every_state_has_a_geonames_id_and_the_domain_states_their_wikidata_items() -> None:
    states = {e.iso_code: e for e in load_entries() if e.cls == "State"}
    assert len(_linked(list(states.values()), "geonames")) == len(states)
    by_iso = {iso: {link.scheme: link.id for link in e.links} for iso, e in states.items()}
    # the same ids in the generated file and in the recorded table it was made from
    table = yaml.safe_load((REFERENCE_DIR / "states_wikidata.yaml").read_text(encoding="utf-8"))
    for iso, item in table["states"].items():
        assert by_iso[iso]["wikidata"] == item["id"]
    assert "wikidata" not in by_iso["VAT"]  # left out: no source gives the Holy See's item


def test_links_become_owl_same_as(graph: Graph) -> None:
    links = [(e, link) for e in load_entries() for link in e.links]
    same = set(graph.triples((None, OWL.sameAs, None)))
    wikidata = {(s, o) for s, _, o in same if str(o).startswith(WIKIDATA)}
    geonames = {(s, o) for s, _, o in same if str(o).startswith(GEONAMES)}
    assert len(wikidata) == sum(1 for _, link in links if link.scheme == "wikidata")
    # a state's GeoNames feature is its territory, a place; the state itself is not a feature
    for s, _ in geonames:
        assert (s, RDFS.label, None) in graph
        assert "/resource/state/" not in str(s)
    e = next(e for e in load_entries() if e.iso_code == "PRK")
    qid = next(link.id for link in e.links if link.scheme == "wikidata")
    assert (URIRef(e.iri), OWL.sameAs, URIRef(WIKIDATA + qid)) in graph


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"links": {"wikidata": {"id": "Q423"}}}, "source"),
        ({"links": {"wikidata": {"id": "423", "source": "x"}}}, "no wikidata id"),
        ({"links": {"geonames": {"id": "Q1", "source": "x"}}}, "no geonames id"),
        ({"links": {"dbpedia": {"id": "North_Korea", "source": "x"}}}, "unknown link scheme"),
    ],
)
def test_a_link_without_source_or_of_a_wrong_form_is_refused(record: dict[str, object], message: str) -> None:
    with pytest.raises(ReferenceDataError, match=message):
        _links(record, "test")


def test_state_names_in_korean_japanese_and_chinese_are_tagged_and_sourced(graph: Graph) -> None:
    states = [e for e in load_entries() if e.cls == "State"]
    for e in states:
        assert {tag for tag, _ in e.native_names} == {"ko", "ja", "zh-Hans"}, e.label
        assert e.native_names_source.strip()
    korea = next(e for e in states if e.iso_code == "KOR")
    names = {o.language: str(o) for o in graph.objects(URIRef(korea.iri), SKOS.prefLabel)}
    assert names["en"] == "South Korea"
    assert re.fullmatch(r"[\uac00-\ud7a3 ]+", names["ko"])  # Hangul
    assert names["zh-Hans"] and names["ja"]


def test_labels_and_aliases_are_english(graph: Graph) -> None:
    for p in (RDFS.label, SKOS.altLabel):
        values = list(graph.objects(None, p))
        assert values
        assert all(isinstance(o, Literal) and o.language == "en" for o in values), p


def test_officials_native_names_are_sourced_and_in_their_script(graph: Graph) -> None:
    scripts = {
        "ko": r"[\uac00-\ud7a3 ]+",
        "ja": r"[\u3040-\u30ff\u4e00-\u9fff]+",
        "zh-Hans": r"[\u4e00-\u9fff]+",
    }
    persons = [e for e in load_entries() if e.cls == "Person" and e.native_names]
    assert persons
    for e in persons:
        assert e.native_names_source.strip()
        for tag, name in e.native_names:
            assert re.fullmatch(scripts[tag], name), (e.label, tag, name)
            assert Literal(name, lang=tag) in set(graph.objects(URIRef(e.iri), SKOS.prefLabel))
