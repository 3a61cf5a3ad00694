"""What real news pages taught the reader and the extractor, each in a snippet of our own
words: a date header glued to a caption or the lead, credits after a caption, month names in
capitals, threats that are not deeds, words that are no names, launches whose state the
article names elsewhere, and undated events that never merge across articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from kg.build import pipeline
from kg.extract.annotate import annotate
from kg.extract.batch import facts_of
from kg.rdf.mapping import ArticleFacts, article_graph
from kg.read.article import read_article

BASE = "https://w3id.org/peninsula/"
LEAD = "North Korea fired a ballistic missile into the sea on Monday, the South's military said, its third launch this month."


def _facts(text: str, name: str = "x.txt") -> ArticleFacts:
    article = read_article(text.encode("utf-8"), name=name)
    (doc,) = list(annotate([article.text], base=BASE))
    return facts_of(article, doc, base=BASE)


def _graph(text: str, name: str) -> Graph:
    facts = _facts(text, name)
    return article_graph(facts, base=BASE, run=pipeline.current_run())


@pytest.mark.parametrize(
    ("page", "published", "first"),
    [
        (
            f"North Korea Fires Missile\n\n date 2024-03-18 People watch the news at a station in Seoul. Yonhap\n\n{LEAD}",
            date(2024, 3, 18),
            "North Korea fired",
        ),
        (f"Published: 18 March 2024 SEOUL — {LEAD}", date(2024, 3, 18), "North Korea fired"),
        (f"MAR 18, 2024\n\n{LEAD}", date(2024, 3, 18), "North Korea fired"),
        (f"Updated Mar 18, 2024 9:01 a.m. ET {LEAD}", date(2024, 3, 18), "North Korea fired"),
    ],
)
def test_a_date_header_glued_to_a_caption_or_the_lead_dates_the_article(
    page: str, published: date, first: str
) -> None:
    article = read_article(page.encode(), name="x.txt")
    assert article.published == published and article.date_status == "text"
    assert article.body.startswith(first)
    assert "People watch" not in article.text  # the caption, with its credit, is furniture


def test_the_weekday_of_a_glued_header_dates_the_event() -> None:
    facts = _facts(f" date 2024-03-18 People watch the news at a station in Seoul. Yonhap\n\n{LEAD}")
    (launch,) = [e for e in facts.events if e.kind == "launch"]
    assert launch.date is not None and launch.date.value == "2024-03-18"


@pytest.mark.parametrize("credit", ["Yonhap", "KCNA via REUTERS", "AFP", "Kyodo News"])
def test_a_caption_ending_in_a_credit_is_furniture(credit: str) -> None:
    page = f"Kim Jong Un watches a test at an undisclosed place in this photo released on Tuesday. {credit}\n\n{LEAD}"
    assert read_article(page.encode(), name="x.txt").body == LEAD


def test_a_threat_to_fire_is_no_launch_and_lends_the_launch_nothing() -> None:
    facts = _facts(
        "SEOUL, Aug. 29, 2017 -- North Korea fired a Hwasong-12 missile over Japan on Tuesday, the military said. "
        "Pyongyang had earlier threatened to fire the same missile toward Guam."
    )
    launches = [e for e in facts.events if e.kind == "launch"]
    actual = [e for e in launches if e.modality == "actual"]
    assert len(actual) == 1 and not actual[0].roles.get("impactArea")
    assert all(e.modality == "planned" for e in launches if e.roles.get("impactArea"))


def test_hashtags_units_and_compound_modifiers_are_no_names() -> None:
    facts = _facts(
        "SEOUL, Jan. 12, 2022 -- The missile flew at Mach 10, state media said. #NorthKorea "
        "A Cabinet-level official in Tokyo said the launch was regrettable."
    )
    labels = {m.entity.label for m in facts.mentions}
    assert not labels & {"Mach", "NorthKorea", "#NorthKorea", "Cabinet"}


def test_a_launch_told_without_its_state_is_by_the_state_the_article_names() -> None:
    facts = _facts(
        "SEOUL, Dec. 23, 2022 -- North Korea fired a ballistic missile on Friday, the military said. "
        "Hours later the count was revised: two short-range ballistic missiles had been fired from near Sunan."
    )
    launches = [e for e in facts.events if e.kind == "launch"]
    assert launches and all(e.first("launchingState") is not None for e in launches)
    assert {e.first("launchingState").label for e in launches} == {"North Korea"}  # type: ignore[union-attr]


def test_undated_events_of_two_articles_never_share_an_iri() -> None:
    text = "North Korea fired an intercontinental ballistic missile, officials said, and Japan condemned it."
    one, two = _graph(text, "one.txt"), _graph(text, "two.txt")

    def events(g: Graph) -> set[object]:
        return {s for s in g.subjects(RDF.type, None) if "/launch/" in str(s) or "/statement/" in str(s)}

    assert events(one) and events(two) and not events(one) & events(two)


def test_a_source_the_model_took_for_a_place_states_no_claim() -> None:
    """Seen at scale: 'Yu-na Seong, a senior fellow …, said' linked to a place 'Seong'; a
    claim whose source is no actor is left out rather than made invalid."""
    from dataclasses import replace

    from rdflib import URIRef

    from kg.facts import Entity
    from kg.namespaces import PEN

    facts = _facts(
        "SEOUL, Dec. 18, 2018 -- North Korea fired a missile on Monday, the military said. "
        "A senior fellow at an institute in Seoul said the timing was meant to pressure the allies."
    )
    assert facts.claims
    place = Entity(URIRef(BASE + "resource/place/seong"), PEN.Settlement, "Seong", minted=True)
    facts.claims = [replace(c, source=replace(c.source, entity=place)) for c in facts.claims]
    graph = article_graph(facts, base=BASE, run=pipeline.current_run())
    assert not list(graph.subjects(RDF.type, PEN.Claim))
    checks = pipeline.make_checks(
        str(Path(__file__).resolve().parents[2] / "ontology"), BASE, pipeline.current_run(), reasoner=False
    )
    assert checks.article(graph) == []
