"""Event coreference within an article.

The several sentences that tell one event give one event: a new event joins the most
recent earlier event (the salient one) of the same kind and modality whose arguments do
not conflict — same or unknown actor, same or unknown date, weapon classes of which one is
the other or a vaguer word for it, for meetings a shared participant and places of which
one is, or contains, the other ('in Vietnam' and 'the Hanoi summit'; the more specific
is kept). A definite noun
phrase with nothing of its own ('the launches', 'the incident') joins the salient event of
its kind. Across articles, events meet through their IRIs, which are built from the same
identifying key (see ``kg.rdf.identity.event_key``).
"""

from __future__ import annotations

from rdflib import URIRef

from kg.extract.venues import most_specific, places_compatible
from kg.facts import DateValue, EventFact
from kg.kinds import kind
from kg.namespaces import PEN

__all__ = ["EventMerger", "absorb", "classes_compatible", "family_of"]

_BALLISTIC = {PEN.ICBM, PEN.IRBM, PEN.MRBM, PEN.SRBM, PEN.SLBM, PEN.BallisticMissile}
_VAGUE: dict[URIRef, set[URIRef]] = {
    PEN.Missile: set(),  # compatible with everything
    PEN.ShortRangeMissile: {PEN.CruiseMissile, PEN.SRBM, PEN.BallisticMissile, PEN.AntiShipMissile},
    PEN.LongRangeMissile: {PEN.ICBM, PEN.IRBM, PEN.MRBM, PEN.BallisticMissile, PEN.CruiseMissile},
    PEN.BallisticMissile: _BALLISTIC,
}


def family_of(name: str) -> str:
    """The family of an event kind ('summit' → 'meeting'); a statement is its own."""
    return kind(name).family


def classes_compatible(a: list[URIRef], b: list[URIRef]) -> bool:
    """Whether two launches' weapon classes can describe the same missiles."""
    if not a or not b:
        return True
    for x in a:
        for y in b:
            if x == y or PEN.Missile in (x, y):
                return True
            if y in _VAGUE.get(x, set()) or x in _VAGUE.get(y, set()):
                return True
    return False


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _finer(a: DateValue, b: DateValue) -> bool:
    """Whether date ``a`` is more precise than ``b`` and lies within it."""
    ra, rb = _PRECISION_RANK.get(a.precision, 9), _PRECISION_RANK.get(b.precision, 9)
    return ra < rb and b.earliest <= a.earliest and a.latest <= b.latest


def _same_or_unknown(a: EventFact, b: EventFact, role: str) -> bool:
    x, y = a.first(role), b.first(role)
    return x is None or y is None or x.iri == y.iri


def _dates_compatible(a: EventFact, b: EventFact) -> bool:
    # 'the first launch since November 2017' is not the launch of November 2017
    if a.after is not None and b.date is not None and b.date.latest <= a.after.latest:
        return False
    if b.after is not None and a.date is not None and a.date.latest <= b.after.latest:
        return False
    if a.date is None or b.date is None:
        return True
    return not (a.date.latest < b.date.earliest or b.date.latest < a.date.earliest)


def _same_sentence(a: EventFact, b: EventFact) -> bool:
    return any(x.sent_begin == y.sent_begin for x in a.spans for y in b.spans)


def _is_bare(ev: EventFact) -> bool:
    """A definite reference with nothing of its own: 'the launches', 'the incident'."""
    return ev.definite and not ev.roles and not ev.weapon_classes and ev.date is None


def _tally(ev: EventFact) -> bool:
    """'launches on 38 occasions this year': launches told in the plural over a month or a
    year are a series, not the one launch of a day the article told."""
    return (
        not ev.definite
        and ev.trigger.lower().endswith("s")
        and ev.date is not None
        and ev.date.precision in ("month", "year")
    )


def _compatible(old: EventFact, new: EventFact) -> bool:
    if family_of(old.kind) != family_of(new.kind) or old.modality != new.modality:
        return False
    if ((old.count or 1) > 1 and old.kind != "launch") or ((new.count or 1) > 1 and new.kind != "launch"):
        return False
    if _is_bare(new):
        return True
    if not _dates_compatible(old, new):
        return False
    if family_of(new.kind) in ("launch", "nuclear-test"):
        if not _same_or_unknown(old, new, "launchingState"):
            return False
        if not _same_or_unknown(old, new, "weaponSystem"):
            return False
        if not classes_compatible(old.weapon_classes, new.weapon_classes):
            return False
        # an undated launch joins a dated one only when it refers back, or when one
        # sentence tells both ('the attempt to put a satellite into orbit failed on
        # Wednesday when its rocket crashed')
        if _tally(new) and old.date is not None and old.date.precision == "day":
            return False
        return (
            (old.date is not None and new.date is not None)
            or new.definite
            or (new.date is None and new.reported and old.date is not None)
            or (new.date is None and not new.weapon_classes)
            or (new.date is not None and old.date is None and old.definite)
            or _same_sentence(old, new)
        )
    if family_of(new.kind) in ("meeting", "visit", "call"):
        a = {e.iri for r in ("participant", "visitor", "host") for e in old.roles.get(r, [])}
        b = {e.iri for r in ("participant", "visitor", "host") for e in new.roles.get(r, [])}
        persons_a = {
            e.iri for r in ("participant", "visitor") for e in old.roles.get(r, []) if e.cls == PEN.Person
        }
        persons_b = {
            e.iri for r in ("participant", "visitor") for e in new.roles.get(r, []) if e.cls == PEN.Person
        }
        old_places, new_places = old.roles.get("place", []), new.roles.get("place", [])
        if not places_compatible(old_places, new_places):
            return False
        # 'the Singapore talks': a definite meeting told by its place alone is the one held there
        placed = new.definite and not b and bool(new_places)
        # 'after Saturday's meeting': a definite meeting told by its date alone
        dated = new.definite and not b and not new_places and new.date is not None
        return bool(persons_a & persons_b) or (new.definite and bool(a & b)) or placed or dated
    if new.kind in ("sanction", "resolution"):
        # 'the new sanctions', or a headline's: the measures told before, by the same body
        # on the same target
        return new.definite and _same_or_unknown(old, new, "actor") and _same_or_unknown(old, new, "target")
    if new.kind == "exercise":
        return new.definite or bool(
            {e.iri for e in old.roles.get("participant", [])}
            & {e.iri for e in new.roles.get("participant", [])}
        )
    return False


def absorb(old: EventFact, new: EventFact) -> None:
    """Fold ``new`` into ``old``, which tells the same event: spans, roles, classes, dates."""
    for span in new.spans:
        if span not in old.spans and span not in old.back_refs:
            (old.back_refs if _is_bare(new) else old.spans).append(span)
    for role, ents in new.roles.items():
        for e in ents:
            first = old.first(role)
            if role in ("launchingState", "weaponSystem") and first is not None and first.iri != e.iri:
                continue
            old.add_role(role, e, new.spans_of(role, e))
    old.leaders = old.leaders or new.leaders
    if "place" in old.roles:
        old.roles["place"] = most_specific(old.roles["place"])  # 'Vietnam', then 'Hanoi'
    for cls in new.weapon_classes:
        if cls not in old.weapon_classes:
            old.weapon_classes.append(cls)
    # keep the most specific: drop a vague class when a compatible precise one is known
    precise = [c for c in old.weapon_classes if c not in _VAGUE]
    if precise:
        old.weapon_classes = precise
    if new.date is not None and (old.date is None or _finer(new.date, old.date)):
        old.date, old.date_text = new.date, new.date_text  # 'January', then 'on January 6'
    if old.start is None and new.start is not None:
        old.start, old.end = new.start, new.end
    for attr in ("count", "range_km", "altitude_km", "purpose", "quote"):
        if getattr(old, attr) is None and getattr(new, attr) is not None:
            setattr(old, attr, getattr(new, attr))
    if kind(new.kind).rank > kind(old.kind).rank and family_of(old.kind) == "meeting":
        old.kind, old.cls = new.kind, new.cls
    old.confidence = min(0.95, old.confidence + 0.1)


def _same_statement(old: EventFact, new: EventFact) -> bool:
    """The previous statement told again: the same kind and modality, compatible dates, and
    the same named speaker, or an unnamed one ('the sister of Kim Jong Un') now named."""
    if old.cls != new.cls or old.modality != new.modality or not _dates_compatible(old, new):
        return False
    a, b = old.first("speaker"), new.first("speaker")
    if a is not None and b is not None:
        return a.iri == b.iri
    if a is None and old.speaker_source is not None and old.speaker_source.entity is None:
        # 'the sister of Kim Jong Un said …; Kim Yo Jong said': a person now named, not
        # another speaker altogether ('a ministry spokesman said …; China opposed …')
        return b is not None and b.cls == PEN.Person
    return False


def _absorb_statement(old: EventFact, new: EventFact) -> None:
    for span in new.spans:
        if span not in old.spans:
            old.spans.append(span)
    if old.first("speaker") is None and new.first("speaker") is not None:
        old.speaker_source = None
    for role, ents in new.roles.items():
        for e in ents:
            old.add_role(role, e, new.spans_of(role, e))
    if old.date is None and new.date is not None:
        old.date, old.date_text = new.date, new.date_text
    old.quote = old.quote or new.quote
    old.about_families = old.about_families or new.about_families
    old.confidence = min(0.95, old.confidence + 0.1)


class EventMerger:
    """Collects an article's events in text order, merging coreferent ones."""

    def __init__(self) -> None:
        self.events: list[EventFact] = []

    def add(self, ev: EventFact, *, summary: bool = False) -> EventFact:
        """Add an event; returns the event it became part of (itself when new).

        A ``summary`` event (told by the headline) refers to what the body tells: it joins
        the first compatible event of the article, as a definite reference would.
        """
        if summary:
            ev.definite = True
        self._bare_test(ev)
        if ev.kind != "statement":
            for old in self.events if summary else reversed(self.events):
                if (ev.definite or ev.reported) and ev.date is None and self._background(old):
                    continue
                if old.date is None and self._background(ev):
                    continue  # "last met in May" is not the undated talks the news tells
                if _compatible(old, ev):
                    absorb(old, ev)
                    return old
        else:
            last = next((e for e in reversed(self.events) if e.kind == "statement"), None)
            if last is not None and _same_statement(last, ev):
                _absorb_statement(last, ev)
                return last
        news = self._news_launch(ev) if not summary else None
        if news is not None:
            absorb(news, ev)
            return news
        if _is_bare(ev):
            return ev  # nothing to refer back to and nothing of its own: not an event
        self.events.append(ev)
        return ev

    def _news_launch(self, ev: EventFact) -> EventFact | None:
        """The article's first launch, which a launch a source tells without a date of its
        own and without a word marking it another ('two missiles had been fired, the
        ministry said') is, when nothing of theirs conflicts; else None."""
        if not ev.reported or ev.date is not None:
            return None
        news = next((e for e in self.events if family_of(e.kind) == "launch"), None)
        if (
            news is None
            or news.modality != ev.modality
            or not _same_or_unknown(news, ev, "launchingState")
            or not _same_or_unknown(news, ev, "weaponSystem")
            or not classes_compatible(news.weapon_classes, ev.weapon_classes)
        ):
            return None
        return news

    def _bare_test(self, ev: EventFact) -> None:
        """'The test was conducted at dawn', told after a nuclear test and no launch: a
        definite 'test' naming no weapon refers to the nuclear test, not to a new launch."""
        if not (
            ev.kind == "launch"
            and ev.definite
            and ev.trigger.lower() in ("test", "tests", "testing")
            and not ev.weapon_classes
            and ev.first("weaponSystem") is None
        ):
            return
        latest = next(
            (e for e in reversed(self.events) if family_of(e.kind) in ("launch", "nuclear-test")), None
        )
        if latest is not None and latest.kind == "nuclear-test":
            ev.kind, ev.cls = "nuclear-test", kind("nuclear-test").cls

    def _background(self, ev: EventFact) -> bool:
        """Whether ``ev`` is background: dated before the first event of its family the
        article told ('The North first tested the weapon in April' after the lead's launch).
        A definite 'the launch' refers to the news, not to the background, and background
        does not join an undated event (which is the news more likely than not)."""
        first = next((e for e in self.events if family_of(e.kind) == family_of(ev.kind)), None)
        return (
            first is not None
            and first is not ev
            and first.date is not None
            and ev.date is not None
            and ev.date.latest < first.date.earliest
        )

    def salient(self, family: str) -> EventFact | None:
        """The latest actual event of ``family`` told so far, the one a bare 'the launch' refers back to."""
        for ev in reversed(self.events):
            if family_of(ev.kind) == family and ev.modality == "actual":
                return ev
        return None
