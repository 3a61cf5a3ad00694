"""The reference data: it loads, names its sources, is unambiguous where it must be,
records terms of office consistently, and makes a graph that the ontology and shapes
accept."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.namespaces import PEN, resource_iri
from kg.reference import (
    CLASSES,
    REFERENCE_DIR,
    Entry,
    Holding,
    entry_index,
    holders,
    holding_at,
    load_entries,
    post_holdings,
    posts,
    reference_graph,
    weapon_spellings,
)
from kg.validate.graph import load_ontology, validate

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
YAML_FILES = ("states.yaml", "officials.yaml", "weapons.yaml", "organisations.yaml", "places.yaml")


def state(name: str) -> str:
    return str(resource_iri("state", name))


def person(name: str) -> str:
    return str(resource_iri("person", name))


def by_label(label: str, cls: str) -> Entry:
    [entry] = [e for e in load_entries() if e.label == label and e.cls == cls]
    return entry


@pytest.fixture(scope="module")
def graph() -> Graph:
    return reference_graph()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ONTOLOGY_DIR)


# --- the files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", YAML_FILES)
def test_yaml_files_load_and_every_record_names_its_source(name: str) -> None:
    data = yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))
    records = data["posts"] + data["persons"] if name == "officials.yaml" else data
    assert records
    for record in records:
        assert str(record.get("source", "")).strip(), f"{name}: no source in {record}"


def test_every_entry_post_and_holding_has_a_source() -> None:
    sources = [e.source for e in load_entries()] + [p.source for p in posts()]
    sources += [h.source for h in post_holdings()]
    assert all(s.strip() for s in sources)


def test_states_yaml_is_what_the_generator_makes_from_curated_names() -> None:
    curated = yaml.safe_load((REFERENCE_DIR / "states_curated.yaml").read_text(encoding="utf-8"))
    states = {e.iso_code: e for e in load_entries() if e.cls == "State"}
    for iso3, extra in curated.items():
        entry = states[iso3]
        for alias in extra.get("aliases", []):
            assert alias in entry.aliases or alias == entry.label
        assert set(extra.get("metonyms", [])) <= set(entry.metonyms)


# --- entries ---------------------------------------------------------------------------


def test_iris_are_unique_and_of_the_class_kind() -> None:
    entries = load_entries()
    assert len({e.iri for e in entries}) == len(entries)
    for e in entries:
        assert e.cls in CLASSES
        assert f"/resource/{CLASSES[e.cls]}/" in e.iri


def test_no_alias_names_two_entries_of_the_same_class() -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in load_entries():
        for name in e.names:
            owners[(e.cls, name.casefold())].add(e.iri)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert not clashes


def test_every_un_member_state_is_present_with_an_iso_code() -> None:
    states = [e for e in load_entries() if e.cls == "State"]
    assert len(states) >= 193
    assert all(e.iso_code and len(e.iso_code) == 3 for e in states)
    data = yaml.safe_load((REFERENCE_DIR / "states.yaml").read_text(encoding="utf-8"))
    assert sum(1 for r in data if r["un"].startswith("member since")) == 193
    assert {r["iso3"] for r in data if r["un"] == "observer"} == {"VAT", "PSE"}


@pytest.mark.parametrize(
    ("label", "iso3", "names", "demonym", "metonym", "capital"),
    [
        ("North Korea", "PRK", ["DPRK", "N. Korea", "the North"], "North Koreans", "Pyongyang", "Pyongyang"),
        ("South Korea", "KOR", ["ROK", "Republic of Korea", "the South"], "South Korean", "Seoul", "Seoul"),
        ("United States", "USA", ["US", "U.S.", "America"], "American", "Washington", "Washington, D.C."),
        ("China", "CHN", ["PRC"], "Chinese", "Beijing", "Beijing"),
        ("Japan", "JPN", [], "Japanese", "Tokyo", "Tokyo"),
        ("Russia", "RUS", ["Russian Federation"], "Russian", "Moscow", "Moscow"),
        ("United Kingdom", "GBR", ["UK", "Britain"], "British", "London", "London"),
    ],
)
def test_the_states_of_the_domain_have_news_names(
    label: str, iso3: str, names: list[str], demonym: str, metonym: str, capital: str
) -> None:
    entry = by_label(label, "State")
    assert entry.iso_code == iso3
    assert set(names) <= set(entry.aliases)
    assert demonym in entry.demonyms
    assert metonym in entry.metonyms
    assert entry.capital == by_label(capital, "Settlement").iri
    assert entry.iri == state(label)


def test_bodies_places_persons_and_weapons_point_at_their_state() -> None:
    nk, sk = state("North Korea"), state("South Korea")
    assert by_label("Joint Chiefs of Staff (South Korea)", "GovernmentBody").state == sk
    assert by_label("Korean Central News Agency", "NewsOutlet").affiliation == nk
    assert by_label("United Nations Security Council", "InternationalOrganisation").part_of == (
        by_label("United Nations", "InternationalOrganisation").iri
    )
    assert (
        by_label("Sinpo", "Settlement").located_in == by_label("South Hamgyong", "AdministrativeRegion").iri
    )
    assert by_label("Kim Jong Un", "Person").state == nk
    assert by_label("Hwasong-12", "WeaponSystem").state == nk


def test_all_north_korean_provinces_are_present() -> None:
    provinces = {
        e.label for e in load_entries() if e.cls == "AdministrativeRegion" and e.state == state("North Korea")
    }
    assert {
        "South Pyongan",
        "North Pyongan",
        "Chagang",
        "South Hwanghae",
        "North Hwanghae",
        "Kangwon Province",
        "South Hamgyong",
        "North Hamgyong",
        "Ryanggang",
    } <= provinces
    assert "Jagang" in by_label("Chagang", "AdministrativeRegion").aliases


@pytest.mark.parametrize(
    ("name", "label", "weapon_class"),
    [
        ("KN-17", "Hwasong-12", "IRBM"),
        ("Hwasong 12", "Hwasong-12", "IRBM"),
        ("Hwansong 12", "Hwasong-12", "IRBM"),
        ("Hwasong15", "Hwasong-15", "ICBM"),
        ("Nodong", "Hwasong-7", "MRBM"),
        ("Musudan", "Hwasong-10", "IRBM"),
        ("KN-11", "Pukguksong-1", "SLBM"),
        ("Hwasong-11", "KN-23", "SRBM"),
        ("Pulhwasal-3-31", "Pulhwasal-3-31", "CruiseMissile"),
        ("Hwasong-8", "Hwasong-8", "HypersonicMissile"),
    ],
)
def test_weapon_designations_and_spellings_resolve_to_one_system(
    name: str, label: str, weapon_class: str
) -> None:
    [entry] = [e for e in load_entries() if e.cls == "WeaponSystem" and name in e.names]
    assert entry.label == label
    assert entry.weapon_class == str(PEN[weapon_class])


def test_weapon_spellings() -> None:
    assert weapon_spellings("Hwasong-12") == ("Hwasong 12", "Hwasong12")
    assert weapon_spellings("Pulhwasal-3-31") == ("Pulhwasal 3-31", "Pulhwasal3-31")
    assert weapon_spellings("Korean People's Army") == ()


# --- officials and their terms ----------------------------------------------------------


def test_the_us_secretary_of_state_on_2021_03_18_is_blinken() -> None:
    [h] = holders("ForeignMinister", state("United States"), date(2021, 3, 18))
    assert h.person == person("Antony Blinken")
    assert h.title == "Secretary of State"
    assert h.start == date(2021, 1, 26)


@pytest.mark.parametrize(
    ("role", "state_name", "day", "holder"),
    [
        ("DefenceMinister", "United States", date(2021, 3, 18), "Lloyd Austin"),
        ("HeadOfState", "United States", date(2018, 6, 12), "Donald Trump"),
        ("HeadOfGovernment", "United States", date(2022, 1, 1), "Joe Biden"),
        ("HeadOfState", "South Korea", date(2021, 3, 18), "Moon Jae-in"),
        ("ForeignMinister", "South Korea", date(2021, 3, 18), "Chung Eui-yong"),
        ("HeadOfGovernment", "Japan", date(2022, 5, 1), "Fumio Kishida"),
        ("ForeignMinister", "Japan", date(2022, 5, 1), "Yoshimasa Hayashi"),
        ("ForeignMinister", "China", date(2023, 3, 1), "Qin Gang"),
        ("ForeignMinister", "China", date(2024, 3, 1), "Wang Yi"),
        ("HeadOfState", "North Korea", date(2019, 2, 27), "Kim Jong Un"),
        ("ForeignMinister", "North Korea", date(2023, 1, 1), "Choe Son Hui"),
        ("DefenceMinister", "Russia", date(2023, 1, 1), "Sergei Shoigu"),
    ],
)
def test_holders_on_a_day(role: str, state_name: str, day: date, holder: str) -> None:
    found = holders(role, state(state_name), day)
    assert found, (role, state_name, day)
    assert found[0].person == person(holder)


def test_handover_day_belongs_to_the_successor() -> None:
    us = state("United States")
    assert [h.person for h in holders("HeadOfState", us, date(2021, 1, 20))] == [person("Joe Biden")]
    assert [h.person for h in holders("HeadOfState", us, date(2021, 1, 19))] == [person("Donald Trump")]


def test_acting_holders_come_after_substantive_ones() -> None:
    sk = state("South Korea")
    found = holders("HeadOfState", sk, date(2024, 12, 20))
    assert [h.person for h in found] == [person("Yoon Suk Yeol"), person("Han Duck-soo")]
    assert [h.acting for h in found] == [False, True]


def test_holding_at_lists_a_persons_posts_on_a_day() -> None:
    kishida = person("Fumio Kishida")
    assert [h.title for h in holding_at(kishida, date(2021, 11, 5))] == ["Prime Minister", "Foreign Minister"]
    assert holding_at(kishida, date(2019, 1, 1)) == []
    choe = person("Choe Son Hui")
    assert [h.title for h in holding_at(choe, date(2020, 6, 1))] == ["First Vice Foreign Minister"]


def test_imprecise_dates_cover_their_whole_period() -> None:
    [choe_fm] = [
        h for h in holding_at(person("Choe Son Hui"), date(2022, 6, 30)) if h.title == "Foreign Minister"
    ]
    assert choe_fm.start == date(2022, 6, 1)
    assert choe_fm.start_precision == "month"
    # June 2022 is the month of the handover: both may have held the post then.
    nk = state("North Korea")
    assert {h.person for h in holders("ForeignMinister", nk, date(2022, 6, 15))} == {
        person("Ri Son Gwon"),
        person("Choe Son Hui"),
    }


def _overlap(a: Holding, b: Holding) -> bool:
    a_end = a.end or date.max
    b_end = b.end or date.max
    return (a.start or date.min) < b_end and (b.start or date.min) < a_end


def test_one_substantive_holder_per_post_per_day() -> None:
    """Two substantive holders of a post never overlap where both bounds are known to the
    day; acting holders may (an acting president beside a suspended one)."""
    by_post: dict[str, list[Holding]] = defaultdict(list)
    for h in post_holdings():
        by_post[h.post].append(h)
    for post_iri, terms in by_post.items():
        for a, b in itertools.combinations(terms, 2):
            if a.acting or b.acting:
                continue
            exact = a.start_precision == a.end_precision == b.start_precision == b.end_precision == "day"
            if exact:
                assert not _overlap(a, b), (post_iri, a.label, b.label)


def test_holding_iris_are_unique_and_terms_are_ordered() -> None:
    found = post_holdings()
    assert len({h.iri for h in found}) == len(found)
    for h in found:
        if h.start and h.end:
            assert h.start < h.end, h
    esper = [h for h in found if h.person == person("Mark Esper")]
    assert len({h.iri for h in esper}) == 2


def test_officials_of_the_six_states_cover_2017_to_2024() -> None:
    roles = ("HeadOfState", "HeadOfGovernment", "ForeignMinister", "DefenceMinister")
    for name in ("United States", "South Korea", "North Korea", "Japan", "China", "Russia"):
        for role in roles:
            for year in range(2017, 2025):
                if (name, role, year) == ("South Korea", "HeadOfGovernment", year):
                    continue
                day = date(year, 7, 1)
                assert holders(role, state(name), day), (name, role, day)


# --- the graph ---------------------------------------------------------------------------


def test_graph_describes_entries_posts_and_holdings(graph: Graph) -> None:
    blinken = URIRef(person("Antony Blinken"))
    nk = URIRef(state("North Korea"))
    assert (nk, RDF.type, PEN.State) in graph
    assert str(graph.value(nk, PEN.isoCode)) == "PRK"
    assert {str(o) for o in graph.objects(nk, PEN.demonym)} >= {"North Korean"}
    hwasong12 = URIRef(by_label("Hwasong-12", "WeaponSystem").iri)
    assert graph.value(hwasong12, PEN.weaponClass) == PEN.IRBM
    assert graph.value(hwasong12, PEN.operator) == nk
    holding = URIRef(str(resource_iri("holding", "Antony Blinken", "United States", "Secretary of State")))
    assert graph.value(holding, PEN.holder) == blinken
    post = graph.value(holding, PEN.post)
    assert str(graph.value(post, RDFS.label)) == "United States Secretary of State"
    assert graph.value(post, PEN.role) == PEN.ForeignMinister
    assert str(graph.value(holding, PEN.startDate)) == "2021-01-26"


def test_month_precision_dates_are_typed_by_precision(graph: Graph) -> None:
    holding = URIRef(str(resource_iri("holding", "Ri Son Gwon", "North Korea", "Foreign Minister")))
    start = graph.value(holding, PEN.startDate)
    end = graph.value(holding, PEN.endDate)
    assert isinstance(start, Literal) and isinstance(end, Literal)
    assert (str(start), str(end)) == ("2020-01", "2022-06")
    assert start.datatype == end.datatype == XSD.gYearMonth


def test_every_class_and_property_used_is_defined_in_the_ontology(graph: Graph, ontology: Graph) -> None:
    defined = set(ontology.subjects())
    external = {RDF.type, RDFS.label, OWL.sameAs}
    for p in set(graph.predicates()) - external:
        assert p in defined, p
    for cls in set(graph.objects(None, RDF.type)):
        assert (cls, RDF.type, OWL.Class) in ontology, cls
    for s, p, o in graph:
        if isinstance(o, URIRef) and str(o).startswith(str(PEN)):
            assert o in defined, (s, p, o)


def test_every_iri_object_is_described(graph: Graph) -> None:
    subjects = set(graph.subjects())
    for s, p, o in graph:
        if isinstance(o, URIRef) and p not in (RDF.type, OWL.sameAs) and not str(o).startswith(str(PEN)):
            assert o in subjects, (s, p, o)


def test_reference_graph_conforms_to_the_shapes(graph: Graph, ontology: Graph) -> None:
    # As published: the reference graph beside the ontology graph (which types the
    # pen:Role and pen:WeaponClass individuals the reference data points at).
    data = Graph()
    for triple in itertools.chain(graph, ontology):
        data.add(triple)
    report = validate(data, ontology_dir=ONTOLOGY_DIR, reasoner=False)
    assert report.conforms, [(v.focus, v.message) for v in report.violations]


def test_entry_index_and_base_iri() -> None:
    assert entry_index()[state("Japan")].label == "Japan"
    other = load_entries("https://example.org/kg/")
    assert all(e.iri.startswith("https://example.org/kg/resource/") for e in other)


def test_relatives_are_recorded_with_their_kinship_and_resolve_one_way() -> None:
    from kg.extract.batch import linker

    lk = linker(str(resource_iri("person", "x")).split("resource/")[0])
    kim, yo_jong = URIRef(person("Kim Jong Un")), URIRef(person("Kim Yo Jong"))
    assert lk.relative("sister", kim) == lk.by_iri[yo_jong]
    assert lk.relative("Sister", kim) == lk.by_iri[yo_jong]
    found = lk.relative("brother", yo_jong)
    assert found is not None and found.iri == kim
    assert lk.relative("brother", kim) is None  # none recorded: nothing guessed


def test_kinship_is_in_the_reference_graph(graph: Graph) -> None:
    kim, yo_jong = URIRef(person("Kim Jong Un")), URIRef(person("Kim Yo Jong"))
    assert (yo_jong, PEN.siblingOf, kim) in graph
    assert (kim, PEN.childOf, URIRef(person("Kim Jong Il"))) in graph
    assert (URIRef(person("Kim Ju Ae")), PEN.childOf, kim) in graph


def test_an_unknown_kinship_word_is_refused() -> None:
    from kg.reference.load import _Builder
    from kg.reference.model import ReferenceDataError

    b = _Builder(str(resource_iri("person", "x")).split("resource/")[0])
    records = [{"name": "A B", "source": "test", "relatives": [{"relation": "cousin", "of": "A B"}]}]
    with pytest.raises(ReferenceDataError, match="unknown relation 'cousin'"):
        b.officials({"persons": records})
