"""Content negotiation remembers its answers (server.negotiation): what it remembers must
depend on everything the answer depends on, and refusals must stay refusals."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import parse_accept_header

from server.negotiation import _negotiate_cached, negotiate


def _accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


def test_the_same_accept_header_answers_each_kind_and_format_parameter_apart() -> None:
    anything = _accept("*/*")
    assert negotiate("solutions", anything).name == "json"
    assert negotiate("graph", anything).name == "ttl"
    assert negotiate("solutions", anything, "csv").name == "csv"
    assert negotiate("graph", anything, "nt").name == "nt"
    assert negotiate("solutions", anything).name == "json"


def test_quality_values_decide_on_every_request() -> None:
    assert negotiate("solutions", _accept("text/csv;q=0.9, text/tab-separated-values;q=0.5")).name == "csv"
    assert negotiate("solutions", _accept("text/csv;q=0.5, text/tab-separated-values;q=0.9")).name == "tsv"


def test_a_refusal_is_a_refusal_every_time() -> None:
    for _ in range(2):
        with pytest.raises(NotAcceptable):
            negotiate("graph", _accept("text/csv"))
        with pytest.raises(NotAcceptable):
            negotiate("solutions", _accept("*/*"), "turtle")


def test_long_accept_headers_are_answered_but_not_remembered() -> None:
    _negotiate_cached.cache_clear()
    header = ", ".join(f"application/x-long-{i};q=0.9" for i in range(60)) + ", text/csv"
    assert negotiate("solutions", _accept(header)).name == "csv"
    assert _negotiate_cached.cache_info().currsize == 0
    negotiate("solutions", _accept("text/csv, text/plain;q=0.1"))
    assert _negotiate_cached.cache_info().currsize == 1
