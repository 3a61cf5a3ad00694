"""The W3C SPARQL 1.1 Protocol test suite, one test per manifest entry, against a live
``kg serve`` (tests/data/w3c/ORIGIN.md says where the manifest comes from).

The manifest describes each test as HTTP requests (method, path, headers, body and its
character encoding) and expected responses (status class, result format, boolean); this
module reads it and replays the requests. Query entries run on a server holding the test
graphs; update entries on a second server with an update token (sent with every request),
since they clear the dataset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from live_helpers import W3C, LiveServer, start_live_server
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

pytestmark = pytest.mark.live

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
TOKEN = "w3c-protocol-test-token"


@dataclass(frozen=True)
class Expected:
    statuses: tuple[str, ...]  # '2', '3', '4' — the status classes allowed
    result_format: str | None  # 'boolean', 'tabular', 'RDF'
    boolean: bool | None


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    steps: tuple[Step, ...]


def _cases() -> list[Case]:
    g = Graph().parse(W3C / "protocol-manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    entries = Collection(g, g.value(manifest, MF.entries))
    cases = []
    for entry in entries:
        action = g.value(entry, MF.action)
        steps = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = []
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for h in Collection(g, header_list):
                    headers.append((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))))
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(
                    encoding.lower().replace("utf-16", "utf-16-le")
                )
            resp = g.value(req, HT.resp)
            statuses = tuple(
                sorted(str(s)[len(str(HTS)) + len("StatusCode")] for s in g.objects(resp, MF.expectedStatus))
            )
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            steps.append(
                Step(
                    str(g.value(req, HT.methodName)),
                    str(g.value(req, HT.absolutePath)),
                    tuple(headers),
                    body,
                    Expected(
                        statuses,
                        str(fmt) if fmt else None,
                        bool(boolean.toPython()) if boolean is not None else None,
                    ),
                )
            )
        name = str(entry).rsplit("#", 1)[1]
        cases.append(Case(name, str(g.value(entry, MF.name)), tuple(steps)))
    return cases


CASES = _cases()


def test_the_manifest_was_read_whole() -> None:
    assert len(CASES) == 34
    assert all(case.steps for case in CASES)


@pytest.fixture(scope="module")
def query_server() -> Iterator[LiveServer]:
    # the manifest's own data only: the graph it names without data (data0.rdf) is empty
    server = start_live_server(data=[W3C / "graphs.trig"], env={"PENINSULA_UPDATE_TOKEN": TOKEN})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def update_server() -> Iterator[LiveServer]:
    server = start_live_server(data=[W3C / "graphs.trig"], env={"PENINSULA_UPDATE_TOKEN": TOKEN})
    yield server
    server.stop()


RESULT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


def _boolean(response: requests.Response) -> bool:
    media = response.headers["Content-Type"].split(";")[0]
    if media.endswith("json"):
        value = json.loads(response.content)["boolean"]
        assert isinstance(value, bool)
        return value
    match = re.search(rb"<boolean>\s*(true|false)\s*</boolean>", response.content)
    assert match, response.content
    return match.group(1) == b"true"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol(case: Case, request: pytest.FixtureRequest) -> None:
    is_update = "update" in case.name
    server: LiveServer = request.getfixturevalue("update_server" if is_update else "query_server")
    for step in case.steps:
        url = server.url.rstrip("/") + step.path
        headers = dict(step.headers)
        headers["Authorization"] = f"Bearer {TOKEN}"
        if step.body is not None and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = ""  # requests would otherwise send none at all, as wanted
            del headers["Content-Type"]
        response = requests.request(step.method, url, data=step.body, headers=headers, timeout=30)
        status_class = str(response.status_code)[0]
        assert status_class in step.expected.statuses, (case.title, response.status_code, response.text)
        if step.expected.result_format:
            media = response.headers["Content-Type"].split(";")[0].strip()
            assert media in RESULT_TYPES[step.expected.result_format], media
        if step.expected.boolean is not None:
            assert _boolean(response) is step.expected.boolean, response.text


def test_service_description_manifest(query_server: LiveServer) -> None:
    """The three entries of the W3C service-description manifest: a GET on the endpoint
    returns RDF, with an sd:endpoint triple naming the endpoint, shaped as the SD
    vocabulary says (an sd:Service with a supported language)."""
    g = Graph().parse(W3C / "service-description-manifest.ttl", format="turtle")
    assert len(list(g.subjects(RDF.type, MF.ServiceDescriptionTest))) == 3
    endpoint = query_server.url + "sparql"
    response = requests.get(endpoint, headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")  # returns-rdf
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    desc = Graph().parse(data=response.text, format="turtle")
    service = desc.value(None, sd.endpoint, URIRef(endpoint))  # has-endpoint-triple
    assert service is not None
    assert (service, RDF.type, sd.Service) in desc  # conforms-to-schema
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in desc
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) in desc
