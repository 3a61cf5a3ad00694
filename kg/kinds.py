"""The event kinds, declared once as rows: every stage derives its per-kind knowledge from here.

One :class:`EventKind` row per kind of event the extraction yields: its name (the IRI path
segment and ``EventFact.kind``), its coreference family, its ontology class and the class
the evaluation scores it under, the roles it takes (``pen:`` properties), the trigger
words of kinds read from one table of triggers, whether it is scheduled (so that a verb in
the future tells a plan), its label and the sentences in which the UI tells it.
Coreference (:mod:`kg.extract.coref`), the extractors, the RDF mapping, the gold format
and the UI read these rows; ``tests/test_kg/test_kinds.py`` checks each against the
ontology and the shapes. A kind missing here is a :class:`UnknownKind` error where it is
looked up, never a bare ``KeyError`` deep in extraction.

A sentence template is text with slots: ``{a,b}`` the values of the properties ``a`` and
``b``, joined ('North Korea and China'), or 'someone' when there are none; ``{a|words}``
the same with ``words`` instead of 'someone'; ``{+a}`` nothing, but present only when
``a`` has a value; ``[…]`` a part said only when every property slot in it has a value;
``{@when}`` the date, ``{@weapons}`` the missiles, ``{@words:a,b}`` the first of the
literals ``a``, ``b`` as a quotation.

>>> kind("summit").family, kind("summit").cls.split("#")[-1]
('meeting', 'Summit')
>>> kind("parade")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.kinds.UnknownKind: unknown event kind 'parade' (known: nuclear-test, launch, test, ...)
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.errors import KGError
from kg.facts import EventFact, TextSpan
from kg.namespaces import PEN

__all__ = ["KINDS", "EventKind", "UnknownKind", "kind", "kinds_in_family", "scored_classes", "sentences"]


class UnknownKind(KGError):
    """An event kind that has no row in :data:`KINDS`."""


@dataclass(frozen=True)
class EventKind:
    """One kind of event, as every stage knows it.

    ``name`` is ``EventFact.kind`` and the IRI path segment; ``family`` groups kinds that
    may tell one event (a meeting told as a summit); ``rank`` orders the kinds of a family
    from the least to the most specific (coreference keeps the most specific). ``cls`` is
    the ontology class of its facts, ``scored_as`` the class the evaluation counts it
    under (docs/gold-format.md). ``roles`` are the ``pen:`` properties of its arguments.
    ``nouns`` and ``verbs`` are its trigger lemmas where a table of triggers tells the
    kind (meetings); ``scheduled`` kinds are planned when told in the future;
    ``resumed`` kinds are what a bare 'will resume' tells again. ``identity`` names what,
    besides its date, tells one event of the kind from another (the strategies of
    :mod:`kg.rdf.identity`: ``weapon``, ``speaker``, ``actor``, ``leaders``, ``parties``).
    ``label`` names it in an event's label; ``sentences`` are (ontology class, template) pairs, most specific
    first, in which the UI tells a fact of that class.
    """

    name: str
    family: str
    cls: URIRef
    scored_as: str
    roles: tuple[str, ...]
    label: str
    sentences: tuple[tuple[str, str], ...]
    nouns: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()
    identity: str = "parties"
    scheduled: bool = False
    resumed: bool = False
    rank: int = -1

    def event(self, spans: list[TextSpan], trigger: str, cls: URIRef | None = None) -> EventFact:
        """A new event of this kind told by ``spans``, of its class or of a subclass ``cls``."""
        return EventFact(self.name, cls if cls is not None else self.cls, spans, trigger=trigger)


_LAUNCH_ROLES = ("launchingState", "weaponSystem", "launchSite", "impactArea")
_LAUNCH_WHERE = "{@when}[ from {launchSite}][, landing in {impactArea}]"
_MEETING_ROLES = ("participant", "place")
_TO_WHOM = " {addressee|the public}{@when}{@words:gist,quote}"

# In the order the UI looks a fact's classes up: the most specific first.
KINDS: tuple[EventKind, ...] = (
    EventKind(
        "nuclear-test",
        "nuclear-test",
        PEN.NuclearTest,
        "NuclearTest",
        ("launchingState", "place"),
        "nuclear test",
        (("NuclearTest", "{launchingState,actor} conducted a nuclear test" + _LAUNCH_WHERE),),
        identity="weapon",
        resumed=True,
    ),
    EventKind(
        "launch",
        "launch",
        PEN.MissileLaunch,
        "MissileLaunch",
        _LAUNCH_ROLES,
        "missile launch",
        (("MissileLaunch", "{launchingState,actor} launched {@weapons}" + _LAUNCH_WHERE),),
        identity="weapon",
        resumed=True,
    ),
    EventKind(
        "test",
        "launch",
        PEN.WeaponTest,
        "WeaponTest",
        # no weaponSystem: the shapes constrain it on launches and nuclear tests only
        ("launchingState", "launchSite", "impactArea"),
        "weapon test",
        (("WeaponTest", "{launchingState,actor} tested {@weapons}" + _LAUNCH_WHERE),),
        identity="weapon",
    ),
    EventKind(
        "visit",
        "visit",
        PEN.Visit,
        "Meeting",
        ("visitor", "host", "place"),
        "visit",
        (("Visit", "{visitor} visited {host,place|?}[{+host} ({place})]{@when}"),),
        nouns=("visit", "trip"),
        # 'travel' and 'arrive' ('arrived in Seoul') abroad only, 'fly' ('flew to
        # Pyongyang') a person's only: kg.extract.meeting_args.visit_parties
        verbs=("visit", "travel", "arrive", "fly"),
        scheduled=True,
        rank=1,
    ),
    EventKind(
        "call",
        "call",
        PEN.PhoneCall,
        "Meeting",
        _MEETING_ROLES,
        "phone call",
        (("PhoneCall", "{participant} spoke by phone[ in {place}]{@when}"),),
        nouns=("call",),
        verbs=("speak", "talk"),  # 'spoke by phone with …': only when told by phone or video
        scheduled=True,
        rank=1,
    ),
    EventKind(
        "summit",
        "meeting",
        PEN.Summit,
        "Meeting",
        _MEETING_ROLES,
        "summit",
        (("Summit", "{participant} met for a summit[ in {place}]{@when}"),),
        identity="leaders",
        nouns=("summit",),
        scheduled=True,
        rank=2,
    ),
    EventKind(
        "talks",
        "meeting",
        PEN.Talks,
        "Meeting",
        _MEETING_ROLES,
        "talks",
        (("Talks", "{participant} held talks[ in {place}]{@when}"),),
        nouns=("talk", "talks", "negotiation"),
        verbs=("discuss", "negotiate"),
        scheduled=True,
        rank=1,
    ),
    EventKind(
        "meeting",
        "meeting",
        PEN.Meeting,
        "Meeting",
        _MEETING_ROLES,
        "meeting",
        (("Meeting", "{participant} met[ in {place}]{@when}"),),
        nouns=("meeting",),
        verbs=("meet",),
        scheduled=True,
        rank=0,
    ),
    EventKind(
        "exercise",
        "exercise",
        PEN.MilitaryExercise,
        "MilitaryExercise",
        ("participant",),
        "exercise",
        (("MilitaryExercise", "{participant} held a military exercise{@when}"),),
    ),
    EventKind(
        "statement",
        "statement",
        PEN.Statement,
        "Statement",
        ("speaker", "addressee"),
        "statement",
        (
            ("Accusation", "{speaker} accused" + _TO_WHOM),
            ("Threat", "{speaker} threatened" + _TO_WHOM),
            ("Confirmation", "{speaker} confirmed to" + _TO_WHOM),
            ("Denial", "{speaker} denied to" + _TO_WHOM),
            ("Appeal", "{speaker} appealed to" + _TO_WHOM),
            ("Condemnation", "{speaker} condemned" + _TO_WHOM),
            ("Statement", "{speaker} made a statement to" + _TO_WHOM),
        ),
        identity="speaker",
    ),
    EventKind(
        "sanction",
        "sanction",
        PEN.Sanction,
        "Sanction",
        ("actor", "target"),
        "sanction",
        (("Sanction", "{actor} imposed sanctions on {target}{@when}"),),
        identity="actor",
    ),
    EventKind(
        "resolution",
        "resolution",
        PEN.Resolution,
        "Resolution",
        ("actor",),
        "resolution",
        (("Resolution", "{actor} adopted a resolution{@when}"),),
        identity="actor",
    ),
)
_BY_NAME = {k.name: k for k in KINDS}


def kind(name: str) -> EventKind:
    """The row of the event kind ``name``; :class:`UnknownKind` when there is none."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownKind(f"unknown event kind {name!r} (known: {', '.join(_BY_NAME)})") from None


def kinds_in_family(family: str) -> tuple[EventKind, ...]:
    """The kinds of one coreference family, in the table's order."""
    return tuple(k for k in KINDS if k.family == family)


def scored_classes() -> tuple[str, ...]:
    """The classes the evaluation scores events under, each once, most specific first
    (so that a class is counted under the first of these it falls under)."""
    return tuple(dict.fromkeys(k.scored_as for k in KINDS))


def sentences() -> tuple[tuple[str, str], ...]:
    """Every (ontology class, sentence template) pair, in the order the UI tries them."""
    return tuple(pair for k in KINDS for pair in k.sentences)
