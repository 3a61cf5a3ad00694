"""Content negotiation over the one table of formats (``kg.engine.formats.FORMATS``).

Every view that returns a SPARQL result or an RDF document picks its format here: by the
``format`` parameter when given (browsers, SPARQLWrapper), else by ``Accept`` (q-values and
wildcards honoured), else the first format of the kind. Nothing acceptable → 406.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable

from kg.engine.formats import FORMATS, Format, Kind, formats_for

__all__ = ["FORMATS", "HTML", "Format", "formats_for", "negotiate", "wants_html"]


# Matching Accept against the table costs 20-45 µs, a good part of what the endpoint
# itself adds to a small query, and clients send the same few Accept headers again and
# again: remember the answers. Only short headers are remembered, so the cache stays small
# whatever clients send.
_CACHEABLE_ACCEPT_CHARS = 512


def negotiate(kind: Kind | str, accept: MIMEAccept, format_param: str | None = None) -> Format:
    """The format for a result of ``kind``. Raises ``NotAcceptable`` (406) naming what is
    offered when neither the ``format`` parameter nor ``Accept`` fits."""
    # media-type parameters (JSON-LD's profile=...) do not change the format: werkzeug
    # would match them exactly, so that 'application/ld+json;profile=…' matched nothing
    items = tuple((value.split(";", 1)[0].strip(), q) for value, q in accept)
    if sum(len(value) for value, _ in items) + len(format_param or "") <= _CACHEABLE_ACCEPT_CHARS:
        return _negotiate_cached(kind, items, format_param)
    return _negotiate(kind, MIMEAccept(items), format_param)


@functools.lru_cache(maxsize=256)
def _negotiate_cached(kind: str, items: tuple[tuple[str, float], ...], format_param: str | None) -> Format:
    return _negotiate(kind, MIMEAccept(items), format_param)


def _negotiate(kind: Kind | str, accept: MIMEAccept, format_param: str | None) -> Format:
    offered = formats_for(kind)
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in offered:
            if wanted in (fmt.name, fmt.media_type, *fmt.names, *fmt.aliases):
                return fmt
        raise NotAcceptable(f"format={format_param!r} is not offered here; use one of {_names(offered)}")
    if not accept:
        return offered[0]
    candidates: list[str] = [f.media_type for f in offered]
    candidates += [a for f in offered for a in f.aliases]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types can carry this result; offered: {_names(offered, media=True)}"
        )
    return next(f for f in offered if best == f.media_type or best in f.aliases)


HTML = "text/html"


def wants_html(
    accept: MIMEAccept, others: Sequence[str], *, format_param: str | None = None, html_first: bool = False
) -> bool:
    """The one rule for "send the HTML page": ``format=html``, or with no ``format``, text/html
    is the best match of ``Accept`` among it and ``others`` (the media types the view sends
    instead). At equal quality and specificity the view's own preference decides:
    ``html_first`` for pages that are documents first (resources, VoID), else ``others``.

    >>> wants_html(MIMEAccept([("text/html", 1), ("*/*", 0.8)]), ["application/json"])
    True
    >>> wants_html(MIMEAccept([("*/*", 1)]), ["text/turtle"]), wants_html(MIMEAccept([("*/*", 1)]), ["text/turtle"], html_first=True)
    (False, True)
    """
    if format_param:
        return format_param == "html"
    offered = [HTML, *others] if html_first else [*others, HTML]
    return accept.best_match(offered) == HTML


def _names(offered: Sequence[Format], media: bool = False) -> str:
    return ", ".join(f.media_type if media else f.name for f in offered)
