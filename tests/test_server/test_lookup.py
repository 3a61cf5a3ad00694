"""``/lookup`` (issue 15, item 8): entities by label or alias, prefix and typo tolerant, as
JSON and HTML; the index alone, through Flask's test client, and through a real server."""

from __future__ import annotations

import pytest
import requests
from flask.testing import FlaskClient
from live_helpers import BASE, LiveServer

from server.lookup import LookupIndex, normalise

RES = BASE + "resource/"
PERSON = BASE + "ontology#Person"
STATE = BASE + "ontology#State"


@pytest.fixture(scope="module")
def index() -> LookupIndex:
    rows = [
        (RES + "person/antony-blinken", "Antony Blinken", "label", [PERSON]),
        (RES + "person/kim-jong-un", "Kim Jong Un", "label", [PERSON]),
        (RES + "person/kim-yo-jong", "Kim Yo Jong", "label", [PERSON]),
        (RES + "state/north-korea", "North Korea", "label", [STATE]),
        (RES + "state/north-korea", "DPRK", "alias", [STATE]),
        (RES + "state/south-korea", "South Korea", "label", [STATE]),
        (RES + "weapon/hwasong-17", "Hwasong-17", "label", [BASE + "ontology#WeaponSystem"]),
        (RES + "meeting/m1", "Antony Blinken and Chung Eui-yong meeting, 2021-03-18", "label", []),
    ]
    return LookupIndex(rows)


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("  Hwasong-17 ") == "hwasong 17"
    assert normalise("Chung Eui‐yong") == "chung eui yong"
    assert normalise("Pyŏngyang") == "pyongyang"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Kim Jong Un", "person/kim-jong-un"),  # exact
        ("kim jo", "person/kim-jong-un"),  # prefix of the name
        ("blinken", "person/antony-blinken"),  # prefix of a word, the shorter label first
        ("dprk", "state/north-korea"),  # alias
        ("blinkn", "person/antony-blinken"),  # typo: a letter dropped
        ("hwasnog", "weapon/hwasong-17"),  # typo: two letters swapped
        ("Hwasong 17", "weapon/hwasong-17"),  # punctuation
    ],
)
def test_finds_by_label_alias_prefix_and_typo(index: LookupIndex, query: str, first: str) -> None:
    hits = index.search(query)
    assert hits and hits[0].iri == RES + first, [(h.label, h.score) for h in hits]


def test_scores_order_exact_prefix_word_and_fuzzy(index: LookupIndex) -> None:
    exact = index.search("north korea")[0].score
    prefix = index.search("north kor")[0].score
    word = index.search("korea")[0].score
    fuzzy = index.search("nroth korea")[0].score
    assert exact == 100 > prefix > word > fuzzy > 0
    assert index.search("dprk")[0].kind == "alias" and index.search("dprk")[0].label == "North Korea"


def test_nothing_for_nonsense_and_type_filter(index: LookupIndex) -> None:
    assert index.search("zzqx") == [] and index.search("   ") == []
    assert {h.iri for h in index.search("korea", types={STATE})} == {
        RES + "state/north-korea",
        RES + "state/south-korea",
    }
    assert index.search("korea", types={PERSON}) == []


def test_lookup_json(client: FlaskClient) -> None:
    response = client.get("/lookup", query_string={"q": "chung eui"}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["query"] == "chung eui"
    top = body["results"][0]
    assert top["id"] == RES + "person/chung-eui-yong" and top["label"] == "Chung Eui-yong"
    assert top["types"] == [{"id": PERSON, "label": "Person"}]
    assert 80 <= top["score"] < 100 and top["match"] == {"text": "Chung Eui-yong", "kind": "label"}
    assert top["url"] == "http://127.0.0.1:8000/resource/person/chung-eui-yong"
    assert client.get(top["url"].removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_lookup_aliases_limit_types_and_errors(client: FlaskClient) -> None:
    seoul = client.get("/lookup?q=seoul&format=json").get_json()["results"]
    assert seoul[0]["id"] == RES + "state/south-korea" and seoul[0]["match"]["kind"] == "alias"
    assert len(client.get("/lookup?q=korea&format=json&limit=1").get_json()["results"]) == 1
    people = client.get("/lookup?q=korea&format=json&type=Person").get_json()["results"]
    assert people == []
    assert client.get("/lookup?q=x&limit=many&format=json").status_code == 400
    assert client.get("/lookup?format=json").get_json() == {"query": "", "results": []}


def test_lookup_html(client: FlaskClient) -> None:
    page = client.get("/lookup?q=hwasnog", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert 'href="http://127.0.0.1:8000/resource/weapon/hwasong-12"' in text and "Hwasong-12" in text
    assert 'value="hwasnog"' in text  # the search box keeps the query


def test_live_lookup(live_server: LiveServer) -> None:
    response = requests.get(live_server.url + "lookup", params={"q": "blinkn"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    top = response.json()["results"][0]
    assert top["id"] == RES + "person/antony-blinken"
    page = requests.get(top["url"], headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "Antony Blinken" in page.text


def test_ties_go_to_the_most_mentioned() -> None:
    rows = [
        (RES + "weapon/hwasong-5", "Hwasong-5", "label", []),
        (RES + "weapon/hwasong-17", "Hwasong-17", "label", []),
        (RES + "weapon/hwasong-12", "Hwasong-12", "label", []),
    ]
    quiet = LookupIndex(rows)
    assert quiet.search("hwasnog")[0].iri == RES + "weapon/hwasong-5"  # the shortest label
    busy = LookupIndex(rows, {RES + "weapon/hwasong-17": 40, RES + "weapon/hwasong-12": 3})
    assert [h.iri.rsplit("/", 1)[1] for h in busy.search("hwasnog")] == [
        "hwasong-17",
        "hwasong-12",
        "hwasong-5",
    ]
