"""Every canned query on the seeds (the ``built_store`` of the three seed articles), with
expectations from the gold annotations in tests/data/gold/ and a reading of the articles.
Entities are compared by their rdfs:label; articles by their seed number (000, 003, 004).
Each query returns one row per answer: several values of a column are joined in one cell
with "; " (``Seeds.labels`` and ``Seeds.seed_numbers`` read a term or such a cell).

A failure here is either a query bug or an extraction gap: the expectations state what the
articles say and are not to be bent to what the extractor finds today.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg.canned import catalogue as canned
from kg.engine.oxigraph.store import open_read_only
from kg.settings import Settings

PEN = "https://w3id.org/peninsula/ontology#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

Row = dict[str, ox.NamedNode | ox.Literal]


class Seeds:
    def __init__(self, store: ox.Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.queries = canned.load_queries(settings.queries_dir)
        self.articles: dict[str, str] = {}
        for row in store.query(f"SELECT ?a ?f WHERE {{ ?a a <{PEN}Article> ; <{PEN}sourceFile> ?f }}"):  # type: ignore[union-attr]
            self.articles[row[1].value[:3]] = row[0].value

    def rows(self, name: str, **params: str) -> list[Row]:
        results = self.store.query(canned.prepare(self.queries[name], params))
        assert isinstance(results, ox.QuerySolutions)
        names = [v.value for v in results.variables]
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in results]

    def label(self, term: ox.NamedNode | ox.Literal | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.Literal):
            return term.value
        for quad in self.store.quads_for_pattern(term, RDFS_LABEL, None, ox.DefaultGraph()):
            return str(quad.object.value)
        return term.value

    def labels(self, cell: ox.NamedNode | ox.Literal | None) -> set[str]:
        """Labels of an IRI, or of each IRI of a '; '-separated list."""
        if cell is None:
            return set()
        if isinstance(cell, ox.NamedNode):
            return {self.label(cell)}
        return {self.label(ox.NamedNode(iri)) for iri in cell.value.split("; ") if iri}

    def seed_numbers(self, cell: ox.NamedNode | ox.Literal | None) -> set[str]:
        if cell is None:
            return set()
        iris = [cell.value] if isinstance(cell, ox.NamedNode) else cell.value.split("; ")
        return {n for n, iri in self.articles.items() if iri in iris}


@pytest.fixture(scope="module")
def seeds(built_store: Settings) -> Iterator[Seeds]:
    yield Seeds(open_read_only(built_store.store), built_store)


def _cruise_launch(seeds: Seeds) -> str:
    """The IRI of the 21 March 2021 launch: North Korea, cruise missiles, from 000."""
    for r in seeds.rows("cq01-launches"):
        if r.get("weapon_class") == ox.NamedNode(PEN + "CruiseMissile") and "000" in seeds.seed_numbers(
            r["articles"]
        ):
            return r["launch"].value
    pytest.fail("no cruise missile launch reported by seed 000")


def _weekend_launch(seeds: Seeds) -> str:
    """The IRI of seed 004's launch "this past weekend" (20-21 March 2021): short-range
    missiles. Seed 000 tells of the same launch in the world, but 000 has no publication
    date, so its "on Sunday" stays unresolved and nothing in the text ties the two reports
    together: the graph keeps them apart rather than guess (issue 3: an unresolvable date
    is left unresolved, never guessed)."""
    for r in seeds.rows("cq01-launches"):
        if r.get("weapon_class") == ox.NamedNode(PEN + "ShortRangeMissile") and "004" in seeds.seed_numbers(
            r["articles"]
        ):
            return r["launch"].value
    pytest.fail("no short-range launch reported by seed 004")


def test_seeds_are_three_articles(seeds: Seeds) -> None:
    assert set(seeds.articles) == {"000", "003", "004"}


# cq01 -------------------------------------------------------------------------


def test_cq01_the_cruise_launch(seeds: Seeds) -> None:
    launch = _cruise_launch(seeds)
    rows = [r for r in seeds.rows("cq01-launches") if r["launch"].value == launch]
    assert {seeds.label(r.get("state")) for r in rows} == {"North Korea"}
    assert {r["count"].value for r in rows if "count" in r} == {"2"}
    assert {seeds.label(r.get("launch_site")) for r in rows} == {"South Pyongan"}


def test_cq01_seed_000_launch_stays_undated_and_004_dates_its_own(seeds: Seeds) -> None:
    cruise = [r for r in seeds.rows("cq01-launches") if r["launch"].value == _cruise_launch(seeds)]
    assert all("date" not in r for r in cruise)  # no publication date: "on Sunday" is unresolved
    assert seeds.seed_numbers(cruise[0]["articles"]) == {"000"}
    rows = [r for r in seeds.rows("cq01-launches") if r["launch"].value == _weekend_launch(seeds)]
    assert seeds.seed_numbers(rows[0]["articles"]) == {"004"}
    assert {seeds.label(r.get("state")) for r in rows} == {"North Korea"}
    # "this past weekend" of 23 March 2021: 20-21 March (week precision gives its first day)
    assert {r["date"].value for r in rows if "date" in r} <= {"2021-03-20", "2021-03-21"}
    assert any("date" in r for r in rows)


def test_cq01_the_hwasong_12_launch(seeds: Seeds) -> None:
    rows = [r for r in seeds.rows("cq01-launches") if seeds.label(r.get("weapon")) == "Hwasong-12"]
    assert rows, "no Hwasong-12 launch"
    assert {seeds.label(r.get("state")) for r in rows} == {"North Korea"}
    assert PEN + "IRBM" in {r["weapon_class"].value for r in rows if "weapon_class" in r}
    assert {seeds.label(r.get("launch_site")) for r in rows} == {"Chagang"}
    assert all(seeds.seed_numbers(r["articles"]) == {"003"} for r in rows)


def test_cq01_lists_no_negated_or_predicted_launch(seeds: Seeds) -> None:
    launches = {r["launch"].value for r in seeds.rows("cq01-launches")}
    for launch in launches:
        modalities = {
            q.object.value
            for q in seeds.store.quads_for_pattern(
                ox.NamedNode(launch), ox.NamedNode(PEN + "modality"), None, ox.DefaultGraph()
            )
        }
        assert modalities <= {PEN + "Actual"}


# cq02 / cq03 / cq04 -----------------------------------------------------------


def test_cq02_sentences_are_the_texts_at_their_offsets(seeds: Seeds) -> None:
    rows = seeds.rows("cq02-launch-sources")
    assert rows
    for r in rows:
        text = next(
            seeds.store.quads_for_pattern(r["article"], ox.NamedNode(PEN + "text"), None, ox.DefaultGraph())
        ).object.value  # type: ignore[arg-type]
        assert text[int(r["begin"].value) : int(r["end"].value)] == r["sentence"].value


def test_cq02_each_launch_is_told_by_its_sentences(seeds: Seeds) -> None:
    def told(launch: str) -> set[tuple[str, str]]:
        return {
            (seeds.seed_numbers(r["article"]).pop(), r["sentence"].value[:40])
            for r in seeds.rows("cq02-launch-sources")
            if r["launch"].value == launch
        }

    assert ("000", "Two missiles were fired from South Pyong") in told(_cruise_launch(seeds))
    assert ("000", "North Korea fired off a pair of cruise m") in told(_cruise_launch(seeds))
    assert ("004", "North Korea fired short-range missiles t") in told(_weekend_launch(seeds))


def _reporters(seeds: Seeds, launch: str) -> set[tuple[str, str, str, bool]]:
    """(reporter, reporter's state, seed number, anonymous) of one launch, from cq03: one
    tuple per state and article of a reporter's row."""
    return {
        (seeds.label(r["reporter"]), state, n, r["anonymous"].value == "true")
        for r in seeds.rows("cq03-launch-reporters")
        if r["launch"].value == launch
        for state in seeds.labels(r.get("reporter_state")) or {""}
        for n in seeds.seed_numbers(r.get("articles")) or {""}
    }


def test_cq03_reporters_of_each_launch(seeds: Seeds) -> None:
    cruise = _reporters(seeds, _cruise_launch(seeds))
    # the South Korean Defence Ministry said; U.S. officials in Washington confirmed
    assert any(state == "South Korea" and n == "000" and not anon for _, state, n, anon in cruise), cruise
    assert any(state == "United States" and n == "000" for _, state, n, _ in cruise), cruise
    weekend = _reporters(seeds, _weekend_launch(seeds))
    # two senior Biden administration officials who briefed reporters on condition of anonymity
    assert any(state == "United States" and n == "004" and anon for _, state, n, anon in weekend), weekend


def test_cq03_the_headline_names_the_white_house(seeds: Seeds) -> None:
    weekend = _reporters(seeds, _weekend_launch(seeds))
    assert any(name == "White House" and n == "004" for name, _, n, _ in weekend), weekend


def test_cq04_compliance_claims(seeds: Seeds) -> None:
    rows = seeds.rows("cq04-un-compliance")

    def about(launch: str) -> set[tuple[str, str]]:
        return {
            (r["violates"].value, next(iter(seeds.seed_numbers(r.get("article"))), ""))
            for r in rows
            if r.get("subject") == ox.NamedNode(launch)
        }

    assert ("false", "000") in about(_cruise_launch(seeds))  # didn't appear to violate a UN ban
    assert ("false", "004") in about(_weekend_launch(seeds))  # not covered by UNSC resolutions
    moon = [r for r in rows if seeds.label(r.get("according_to")) == "Moon Jae-in"]
    assert moon and {r["violates"].value for r in moon} == {"true"}
    assert all(r.get("wording") for r in rows)


# cq05 - cq10 ------------------------------------------------------------------


def test_cq05_officials(seeds: Seeds) -> None:
    pairs = {(seeds.label(r["person"]), seeds.label(r.get("state"))) for r in seeds.rows("cq05-officials")}
    expected = {
        ("Antony Blinken", "United States"),
        ("Lloyd Austin", "United States"),
        ("Joe Biden", "United States"),
        ("Donald Trump", "United States"),
        ("Choe Son Hui", "North Korea"),
        ("Kim Jong Un", "North Korea"),
        ("Yoshimasa Hayashi", "Japan"),
        ("Fumio Kishida", "Japan"),
        ("Chung Eui-yong", "South Korea"),
        ("Moon Jae-in", "South Korea"),
    }
    assert expected <= pairs, expected - pairs


def test_cq05_blinken_took_office_on_26_january_2021(seeds: Seeds) -> None:
    rows = [r for r in seeds.rows("cq05-officials") if seeds.label(r["person"]) == "Antony Blinken"]
    assert {r["start"].value for r in rows if "start" in r} == {"2021-01-26"}
    assert seeds.seed_numbers(rows[0]["articles"]) == {"000", "003", "004"}


def _meetings(seeds: Seeds) -> list[tuple[Row, set[str]]]:
    return [(r, seeds.labels(r.get("participants"))) for r in seeds.rows("cq06-meetings")]


def test_cq06_hawaii_talks(seeds: Seeds) -> None:
    hawaii = [
        r for r, who in _meetings(seeds) if {"Antony Blinken", "Yoshimasa Hayashi", "Chung Eui-yong"} <= who
    ]
    assert hawaii
    assert {seeds.label(r.get("place")) for r in hawaii} == {"Hawaii"}


def test_cq06_trump_kim_summits(seeds: Seeds) -> None:
    summits = [r for r, who in _meetings(seeds) if {"Donald Trump", "Kim Jong Un"} <= who]
    dated = {r["date"].value: r for r in summits if "date" in r}
    assert {"2018", "2019-02"} <= set(dated)
    assert seeds.label(dated["2019-02"].get("place")) == "Hanoi"
    assert seeds.seed_numbers(dated["2019-02"]["articles"]) == {"000", "004"}
    assert seeds.label(dated["2018"].get("place")) == "Singapore"


def test_cq06_sweden_talks(seeds: Seeds) -> None:
    rows = [
        r
        for r, who in _meetings(seeds)
        if {"United States", "North Korea"} <= who
        and r.get("date") is not None
        and r["date"].value == "2019-10"
    ]
    assert rows and seeds.label(rows[0].get("place")) == "Sweden"


def test_cq07_blinken_and_austin_visit(seeds: Seeds) -> None:
    rows = [
        r
        for r in seeds.rows("cq07-visits")
        if {"Antony Blinken", "Lloyd Austin"} <= seeds.labels(r.get("visitors"))
    ]
    assert len(rows) == 1  # one row per visit
    assert seeds.labels(rows[0].get("host_states")) == {"Japan", "South Korea"}
    assert seeds.labels(rows[0].get("visitor_states")) == {"United States"}
    assert seeds.seed_numbers(rows[0]["articles"]) == {"000"}


def test_cq08_joint_exercises(seeds: Seeds) -> None:
    rows = [
        r
        for r in seeds.rows("cq08-exercises")
        if seeds.labels(r.get("parties")) == {"United States", "South Korea"}
    ]
    assert rows
    # both seeds tell the allies' drills, neither dates them (000 has no year, 004 no day):
    # an undated event never merges across articles on a guess, so each tells its own
    told = [seeds.seed_numbers(r["articles"]) for r in rows]
    assert all(len(t) == 1 for t in told) and set().union(*told) == {"000", "004"}


def test_cq09_north_korean_statements(seeds: Seeds) -> None:
    rows = seeds.rows("cq09-dprk-statements")
    said = {
        (seeds.label(r["speaker"]), addressee, n)
        for r in rows
        for addressee in seeds.labels(r.get("addressees")) or {""}
        for n in seeds.seed_numbers(r.get("articles")) or {""}
    }
    assert ("Choe Son Hui", "United States", "000") in said
    assert ("Kim Yo Jong", "United States", "004") in said
    assert ("Kim Yo Jong", "South Korea", "004") in said
    # her threat is one statement to both: one row, its addressees in one cell
    threat = [
        r
        for r in rows
        if seeds.label(r["speaker"]) == "Kim Yo Jong" and "004" in seeds.seed_numbers(r.get("articles"))
    ]
    assert len(threat) == 1
    assert seeds.labels(threat[0].get("addressees")) == {"United States", "South Korea"}


def test_cq10_unnamed_sources(seeds: Seeds) -> None:
    told = {
        (next(iter(seeds.seed_numbers(r.get("article"))), ""), r["source_description"].value.lower())
        for r in seeds.rows("cq10-anonymous-claims")
        if "source_description" in r
    }
    for seed, words in [
        ("000", "administration officials"),
        ("000", "u.s. officials"),
        ("004", "two senior biden administration officials"),
        ("003", "several experts"),
        ("003", "military analysts"),
    ]:
        assert any(n == seed and words in d for n, d in told), (seed, words)


# cq11 - cq16 ------------------------------------------------------------------


def test_cq11_the_week_before_23_march_2021(seeds: Seeds) -> None:
    launch = _weekend_launch(seeds)
    week = {r["item"].value for r in seeds.rows("cq11-events-before")}
    assert launch in week
    appeal = [r for r in seeds.rows("cq11-events-before") if r["type"].value == PEN + "Appeal"]
    assert appeal and seeds.seed_numbers(appeal[0].get("articles")) == {
        "004"
    }  # Blinken pressed China last week
    assert all("2019" not in r["date"].value for r in seeds.rows("cq11-events-before") if "date" in r)


def test_cq11_window_moves_with_its_parameters(seeds: Seeds) -> None:
    launch = _weekend_launch(seeds)  # dated 2021-03-20, the first day of the weekend
    assert launch not in {
        r["item"].value for r in seeds.rows("cq11-events-before", date="2021-03-23", days="1")
    }
    assert launch in {r["item"].value for r in seeds.rows("cq11-events-before", date="2021-03-20", days="0")}
    assert seeds.rows("cq11-events-before", date="2010-01-01", days="30") == []


def test_cq12_what_blinken_did(seeds: Seeds) -> None:
    rows = seeds.rows("cq12-person-activity", person="Antony Blinken")
    pairs = {
        (r["type"].value.removeprefix(PEN), who) for r in rows for who in seeds.labels(r.get("counterparts"))
    }
    assert ("Talks", "Yoshimasa Hayashi") in pairs
    assert ("Visit", "Lloyd Austin") in pairs
    assert ("Appeal", "China") in pairs
    # the Hawaii talks are one row, with both of Blinken's counterparts in one cell
    talks = [r for r in rows if r["type"].value == PEN + "Talks"]
    assert len(talks) == 1
    assert {"Yoshimasa Hayashi", "Chung Eui-yong"} <= seeds.labels(talks[0].get("counterparts"))
    assert "Antony Blinken" not in seeds.labels(talks[0].get("counterparts"))
    assert {seeds.label(r.get("place")) for r in rows if r["type"].value == PEN + "Talks"} == {"Hawaii"}
    assert seeds.rows("cq12-person-activity", person="antony blinken") == rows


def test_cq12_what_choe_son_hui_did(seeds: Seeds) -> None:
    rows = seeds.rows("cq12-person-activity", person="Choe Son Hui")
    assert {
        (r["type"].value.removeprefix(PEN), who) for r in rows for who in seeds.labels(r.get("counterparts"))
    } >= {("Accusation", "United States")}


def test_cq13_nuclear_test_and_sanctions_of_2006(seeds: Seeds) -> None:
    rows = seeds.rows("cq13-nuclear-sanctions")
    found = {
        (r["type"].value.removeprefix(PEN), actor, target, r["date"].value if "date" in r else "")
        for r in rows
        for actor in seeds.labels(r.get("actors")) or {""}
        for target in seeds.labels(r.get("targets")) or {""}
    }
    assert ("NuclearTest", "North Korea", "", "2006") in found
    assert ("Sanction", "United Nations Security Council", "North Korea", "2006") in found
    nuclear = [r for r in rows if r["type"].value == PEN + "NuclearTest" and "date" in r]
    assert nuclear[0]["date"].datatype.value.endswith("#gYear")  # type: ignore[union-attr]


def test_cq14_the_secret_missile_base(seeds: Seeds) -> None:
    rows = seeds.rows("cq14-facilities")
    base = [r for r in rows if seeds.label(r.get("location")) == "Chagang"]
    assert base, "no facility located in Chagang"
    assert len(base) == 1  # one row per facility
    assert "Center for Strategic and International Studies" in seeds.labels(base[0].get("reported_by"))
    assert seeds.seed_numbers(base[0]["articles"]) == {"003"}
    assert any("intercontinental ballistic missiles" in r["purpose"].value for r in base if "purpose" in r)


def test_cq15_hwasong_12(seeds: Seeds) -> None:
    rows = [r for r in seeds.rows("cq15-weapon-systems") if seeds.label(r["weapon"]) == "Hwasong-12"]
    assert rows
    assert {r["class"].value for r in rows if "class" in r} == {PEN + "IRBM"}
    assert {float(r["range_km"].value) for r in rows if "range_km" in r} == {4500.0}
    assert any("Guam" in r["capability"].value for r in rows if "capability" in r)
    assert seeds.seed_numbers(rows[0]["articles"]) == {"003"}


def test_cq16_articles(seeds: Seeds) -> None:
    rows = {next(iter(seeds.seed_numbers(r["article"]))): r for r in seeds.rows("cq16-articles")}
    assert set(rows) == {"000", "003", "004"}
    assert rows["004"]["published"] == ox.Literal(
        "2021-03-23", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )
    assert rows["004"]["date_status"].value == PEN + "DateFromText"
    assert rows["004"]["title"].value == "North Korea conducts short-range missile test, White House says"
    assert rows["003"]["title"].value.startswith("Blinken Discusses With Japan, South Korean Officials")
    for n in ("000", "003"):
        assert "published" not in rows[n]
        assert rows[n]["date_status"].value == PEN + "DateUnknown"
    assert "title" not in rows["000"]


# cq17 - cq21 ------------------------------------------------------------------


def test_cq17_planned_and_predicted(seeds: Seeds) -> None:
    rows = seeds.rows("cq17-planned-events")
    by_seed: dict[str, set[str]] = {}
    for r in rows:
        for n in seeds.seed_numbers(r.get("articles")):
            by_seed.setdefault(n, set()).update(seeds.labels(r.get("who")))
    assert {"White House", "Japan", "South Korea"} <= by_seed.get("000", set())  # talks next week
    assert "North Korea" in by_seed.get("003", set())  # tests expected after the Olympics


def test_cq18_leader_meetings(seeds: Seeds) -> None:
    rows = {
        next(iter(seeds.seed_numbers(r["article"]))): r for r in seeds.rows("cq18-leader-meetings-claimed")
    }
    assert rows["000"]["count_claimed"].value == "2"  # "met with Kim twice"
    assert rows["004"]["count_claimed"].value == "3"  # "three meetings"

    def dates(cell: ox.NamedNode | ox.Literal) -> set[str]:
        out = set()
        for iri in cell.value.split("; "):
            for q in seeds.store.quads_for_pattern(
                ox.NamedNode(iri), ox.NamedNode(PEN + "date"), None, ox.DefaultGraph()
            ):
                out.add(q.object.value)
        return out

    assert "2019-02" in dates(rows["000"]["meetings"])
    assert {"2018", "2019-02"} <= dates(rows["004"]["meetings"])
    biden_kishida = [
        iri
        for iri in rows["003"]["meetings"].value.split("; ")
        if {"Joe Biden", "Fumio Kishida"}
        <= {
            seeds.label(q.object)
            for q in seeds.store.quads_for_pattern(
                ox.NamedNode(iri), ox.NamedNode(PEN + "participant"), None, ox.DefaultGraph()
            )
        }  # type: ignore[arg-type]
    ]
    assert biden_kishida


def test_cq19_events_told_twice(seeds: Seeds) -> None:
    rows = seeds.rows("cq19-multi-source-events")
    kinds = {(r["type"].value.removeprefix(PEN), r["date"].value if "date" in r else "") for r in rows}
    assert {("Summit", "2019-02"), ("Summit", "2018")} <= kinds
    assert all("date" in r for r in rows)  # an undated event is its article's own
    for r in rows:
        assert int(r["n"].value) == len(seeds.seed_numbers(r["articles"])) >= 2


def test_cq20_cited_organisations(seeds: Seeds) -> None:
    rows = seeds.rows("cq20-cited-sources")
    sources = {(seeds.label(r["source"]), next(iter(seeds.seed_numbers(r.get("article"))), "")) for r in rows}
    for expected in [
        ("Center for Strategic and International Studies", "003"),
        ("Associated Press", "003"),
        ("ABC News", "003"),
        ("White House", "004"),
    ]:
        assert expected in sources, expected
    assert any("Defen" in name and n == "000" for name, n in sources)
    csis = [r for r in rows if seeds.label(r["source"]) == "Center for Strategic and International Studies"]
    assert "Al Jazeera" in {seeds.label(r.get("via")) for r in csis}


def test_cq21_places(seeds: Seeds) -> None:
    rows = {seeds.label(r["place"]): r for r in seeds.rows("cq21-places")}
    assert seeds.label(rows["South Pyongan"].get("located_in")) == "North Korea"
    assert _cruise_launch(seeds) in rows["South Pyongan"]["events"].value
    assert seeds.label(rows["Chagang"].get("located_in")) == "North Korea"
    assert seeds.label(rows["Hawaii"].get("located_in")) == "United States"
    assert "events" in rows["Hawaii"]  # the Hawaii talks
    assert seeds.label(rows["Seoul"].get("located_in")) == "South Korea"
    assert seeds.label(rows["Hanoi"].get("located_in")) == "Vietnam"


# the extra queries --------------------------------------------------------------
# (cq-source-disagreements needs one event told differently by two articles; the seeds
# have none the text lets us merge, so it is tested on a fixture in tests/test_kg/test_canned.py)


def test_class_and_article_counts_agree_with_the_graph(seeds: Seeds) -> None:
    classes = {r["class"].value: int(r["n"].value) for r in seeds.rows("cq-class-counts")}
    assert classes[PEN + "Article"] == 3
    sentences = len(
        list(seeds.store.quads_for_pattern(None, ox.NamedNode(PEN + "inArticle"), None, ox.DefaultGraph()))
    )
    per_article = seeds.rows("cq-article-counts")
    assert len(per_article) == 3
    assert sum(int(r["sentences"].value) + int(r["mentions"].value) for r in per_article) == sentences
    for r in per_article:
        graph = ox.NamedNode(r["article"].value.replace("/resource/article/", "/graph/article/"))
        assert int(r["triples"].value) == len(list(seeds.store.quads_for_pattern(None, None, None, graph)))
        assert int(r["events"].value) > 0 and int(r["claims"].value) > 0


def test_ontology_queries(seeds: Seeds) -> None:
    parents = {
        (r["class"].value, r.get("parent", ox.Literal("")).value) for r in seeds.rows("cq-ontology-classes")
    }
    assert (PEN + "MissileLaunch", PEN + "WeaponTest") in parents
    props = {r["property"].value: r for r in seeds.rows("cq-ontology-properties")}
    assert props[PEN + "launchingState"]["range"].value == PEN + "State"
    assert props[PEN + "count"]["kind"].value.endswith("#DatatypeProperty")


def test_wikidata_shaped_holdings(seeds: Seeds) -> None:
    text = canned.prepare(seeds.queries["cq-wikidata-holdings"], {})
    graph = list(seeds.store.query(text))  # type: ignore[call-overload]
    p39 = ox.NamedNode("http://www.wikidata.org/prop/P39")
    p580 = ox.NamedNode("http://www.wikidata.org/prop/qualifier/P580")
    blinken = [t.object for t in graph if t.predicate == p39 and seeds.label(t.subject) == "Antony Blinken"]
    assert blinken
    starts = {t.object.value for t in graph if t.subject in blinken and t.predicate == p580}
    assert "2021-01-26" in starts


def test_provenance_of_the_launching_state(seeds: Seeds) -> None:
    launch = _cruise_launch(seeds)
    rows = seeds.rows("cq-provenance", subject=launch)
    assert {seeds.label(r["object"]) for r in rows} == {"North Korea"}
    assert {n for r in rows for n in seeds.seed_numbers(r.get("article"))} == {"000"}
    # per statement: the sentence that names who fired, not every sentence of the launch
    # ('Two missiles were fired from South Pyongan …' names no one: it tells the site)
    stated = {r["sentence"].value for r in rows if r["basis"].value == "statement"}
    assert any(s.startswith("North Korea fired off a pair of cruise missiles") for s in stated)
    assert not any(s.startswith("Two missiles were fired") for s in stated)
    sites = seeds.rows("cq-provenance", subject=launch, predicate="pen:launchSite")
    assert {seeds.label(r["object"]) for r in sites} == {"South Pyongan"}
    assert all(r["sentence"].value.startswith("Two missiles were fired") for r in sites)


def test_holders_on_a_day_compare_partial_dates_by_their_bounds(seeds: Seeds) -> None:
    # cq-holders-on (README "Comparable time") answers as kg.reference.holders() does, on
    # the first day of every month of 2017-2024 and on each recorded bound, including the
    # terms whose start or end is known only to the month or the year.
    from datetime import date

    from kg.reference import post_holdings

    holdings = post_holdings(seeds.settings.base_iri)
    partial = [h for h in holdings if h.start_precision != "day" or h.end_precision != "day"]
    assert partial
    days = {date(y, m, 1) for y in range(2017, 2025) for m in range(1, 13)}
    days |= {d for h in partial for d in (h.start, h.end) if d is not None}
    for day in sorted(days):
        got = {r["holding"].value for r in seeds.rows("cq-holders-on", date=day.isoformat())}
        assert got == {h.iri for h in holdings if h.start is not None and h.covers(day)}, day


def test_a_filter_on_partial_start_dates_drops_terms_the_bounds_keep(seeds: Seeds) -> None:
    day = "2024-12-01"
    kept = {r["holding"].value for r in seeds.rows("cq-holders-on", date=day)}
    naive = seeds.store.query(
        f"SELECT ?h WHERE {{ ?h a <{PEN}PostHolding> ; <{PEN}startDate> ?s "
        f'FILTER(?s <= "{day}"^^<http://www.w3.org/2001/XMLSchema#date>) }}'
    )
    started = {row[0].value for row in naive}  # type: ignore[union-attr]
    dropped = kept - started
    assert dropped  # terms begun by then whose start is an xsd:gYearMonth or xsd:gYear
