"""Dereferencing as an integrator meets it (issue 15, item 5): resource descriptions with
incoming links, graph IRIs, the ontology's version IRI and alignments, JSON-LD with a
published context, Link headers, validators tied to the build, gzip, prefixes, VoID/DCAT
and the service description's named graphs.

Through Flask's test client over the shared fixture, and through real ``kg serve``
processes on loopback with ``requests`` and rdflib (which fetches the JSON-LD context from
the server, as any JSON-LD processor does).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from flask.testing import FlaskClient
from live_helpers import BASE, FIXTURE, LiveServer, make_store
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg.rdf.terms import from_ox
from kg.settings import Settings
from server.app import close_app, create_app
from server.rdf_docs import IN_CAP

ROOT = Path(__file__).resolve().parents[2]
PEN = Namespace(BASE + "ontology#")
RES = BASE + "resource/"
VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
TRIPLE_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "rdf": "application/rdf+xml"}


def _graph(data: bytes, media: str) -> Graph:
    """A document's triples as an rdflib graph, parsed by pyoxigraph."""
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None, media
    g = Graph()
    for q in ox.parse(data, format=fmt):
        g.add(tuple(from_ox(t) for t in (q.subject, q.predicate, q.object)))  # type: ignore[arg-type]
    return g


def _links(header: str) -> list[tuple[str, dict[str, str]]]:
    """An RFC 8288 Link header as (target, parameters) pairs."""
    out = []
    for m in re.finditer(r"<([^>]*)>((?:\s*;\s*[\w-]+=\"[^\"]*\")*)", header):
        params = dict(re.findall(r"([\w-]+)=\"([^\"]*)\"", m.group(2)))
        out.append((m.group(1), params))
    return out


def _context_inline(client: FlaskClient, data: bytes) -> bytes:
    doc = json.loads(data)
    assert isinstance(doc["@context"], str) and doc["@context"].endswith("/context.jsonld")
    doc["@context"] = client.get("/context.jsonld").get_json()["@context"]
    return json.dumps(doc).encode()


# --------------------------------------------------------------------- descriptions


def test_a_persons_rdf_holds_what_its_page_shows(client: FlaskClient) -> None:
    """Incoming links: the posts and meetings that name Blinken are in his RDF, with their
    labels and types, as they are on his HTML page."""
    html = client.get("/resource/person/antony-blinken", headers={"Accept": "text/html"}).get_data(
        as_text=True
    )
    ttl = client.get("/resource/person/antony-blinken", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200
    g = _graph(ttl.data, "text/turtle")
    blinken = URIRef(RES + "person/antony-blinken")
    meeting = URIRef(RES + "meeting/2021-03-18-antony-blinken-chung-eui-yong")
    holding = URIRef(RES + "holding/antony-blinken/united-states/secretary-of-state")
    assert (meeting, PEN.participant, blinken) in g and (holding, PEN.holder, blinken) in g
    assert (meeting, RDF_TYPE, PEN.Meeting) in g and g.value(meeting, RDFS_LABEL) is not None
    for node in (meeting, holding):
        assert "/" + str(node)[len(BASE) :] in html  # the page links what the RDF states
    incoming = {s for s, _, o in g if o == blinken}
    assert incoming == {meeting, holding}
    assert b"@prefix pen:" in ttl.data and b"res:person\\/antony-blinken" in ttl.data


def test_incoming_links_are_capped_with_a_note(settings: Settings, tmp_path: Path) -> None:
    hub = RES + "state/hub"
    data = tmp_path / "many.trig"
    lines = [f"<{BASE}graph/reference> {{", f'<{hub}> <{RDFS_LABEL}> "Hub" .']
    lines += [f"<{RES}event/e{i}> <{PEN}actor> <{hub}> ." for i in range(IN_CAP + 25)]
    data.write_text("\n".join([*lines, "}"]), encoding="utf-8")
    app = create_app(settings.with_(query_workers=1, short_query_workers=0), data=[data])
    try:
        response = app.test_client().get("/resource/state/hub", headers={"Accept": "application/n-triples"})
        assert response.status_code == 200 and response.headers["X-Peninsula-Truncated"] == "true"
        g = _graph(response.data, "application/n-triples")
        assert len(list(g.subjects(PEN.actor, URIRef(hub)))) == IN_CAP
        notes = [str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))]
        assert notes and f"{IN_CAP} of the {IN_CAP + 25} triples that point at it" in notes[0]
    finally:
        close_app(app)


def test_jsonld_is_compacted_with_the_published_context(client: FlaskClient) -> None:
    path = "/resource/launch/2021-03-21-north-korea-cruise-missile"
    doc = client.get(path, headers={"Accept": "application/ld+json"})
    assert doc.status_code == 200 and doc.mimetype == "application/ld+json"
    body = json.loads(doc.data)
    assert body["@context"] == "http://127.0.0.1:8000/context.jsonld"
    node = next(n for n in body["@graph"] if n["@id"].endswith("north-korea-cruise-missile"))
    assert node["@type"] == "MissileLaunch" and node["launchingState"] == RES + "state/north-korea"
    turtle = _graph(client.get(path, headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert isomorphic(_graph(_context_inline(client, doc.data), "application/ld+json"), turtle)
    expanded = client.get(
        path, headers={"Accept": 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"'}
    )
    assert "@context" not in expanded.get_data(as_text=True)
    assert isomorphic(_graph(expanded.data, "application/ld+json"), turtle)
    assert expanded.headers["ETag"] != doc.headers["ETag"]


def test_the_context_names_every_class_and_property(client: FlaskClient) -> None:
    ctx = client.get("/context.jsonld").get_json()["@context"]
    ontology = Graph().parse(ROOT / "ontology" / "peninsula.ttl")
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF_TYPE, kind):
            if isinstance(term, URIRef) and str(term).startswith(str(PEN)):
                name = str(term)[len(str(PEN)) :]
                assert ctx[name]["@id"] == "pen:" + name
                assert (ctx[name].get("@type") == "@id") == (kind == OWL.ObjectProperty)


# --------------------------------------------------------------------- graphs and ontology


@pytest.mark.parametrize("name", ["article/fixture-launch", "reference"])
def test_graph_iris_serve_their_content(client: FlaskClient, name: str) -> None:
    iri = BASE + "graph/" + name
    gsp = client.get("/graphs", query_string={"graph": iri}, headers={"Accept": "text/turtle"})
    own = client.get(f"/graph/{name}", headers={"Accept": "text/turtle"})
    assert own.status_code == 200 and len(_graph(own.data, "text/turtle")) > 5
    assert isomorphic(_graph(own.data, "text/turtle"), _graph(gsp.data, "text/turtle"))
    quads = list(ox.parse(client.get(f"/graph/{name}?format=nq").data, format=ox.RdfFormat.N_QUADS))
    assert {str(q.graph_name) for q in quads} == {f"<{iri}>"}
    links = dict((p.get("title", p["rel"] + p.get("type", "")), t) for t, p in _links(own.headers["Link"]))
    assert links["SPARQL 1.1 Graph Store Protocol"].endswith("/graphs?graph=" + quote(iri, safe=""))
    page = client.get(f"/graph/{name}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and iri in page.get_data(as_text=True)
    assert client.get("/graph/article/nothing-here", headers={"Accept": "text/turtle"}).status_code == 404


def test_the_ontology_version_iri_and_alignments_resolve(client: FlaskClient) -> None:
    core = Graph().parse(ROOT / "ontology" / "peninsula.ttl")
    version = core.value(URIRef(BASE + "ontology"), OWL.versionIRI)
    assert version is not None and str(version).startswith(BASE)
    served = client.get("/" + str(version)[len(BASE) :], headers={"Accept": "text/turtle"})
    assert served.status_code == 200 and "max-age=86400" in served.headers["Cache-Control"]
    assert (URIRef(BASE + "ontology"), OWL.versionIRI, version) in _graph(served.data, "text/turtle")
    alignments = client.get("/ontology/alignments", headers={"Accept": "text/turtle"})
    g = _graph(alignments.data, "text/turtle")
    assert (URIRef(BASE + "ontology/alignments"), RDF_TYPE, OWL.Ontology) in g
    assert b"@prefix org:" in alignments.data  # written with the file's own prefixes
    aligned_version = g.value(URIRef(BASE + "ontology/alignments"), OWL.versionIRI)
    assert (
        client.get("/" + str(aligned_version)[len(BASE) :], headers={"Accept": "text/turtle"}).status_code
        == 200
    )
    assert client.get("/ontology/alignments", headers={"Accept": "text/html"}).mimetype == "text/html"
    assert client.get("/ontology/9.9.9", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("name", ["peninsula.ttl", "alignments.ttl", "cameo.ttl"])
def test_every_version_iri_an_ontology_document_names_dereferences(client: FlaskClient, name: str) -> None:
    """Its owl:versionIRI, its owl:priorVersion (kept under ontology/versions/) and what it
    owl:imports each answer with the document that declares that version."""
    g = Graph().parse(ROOT / "ontology" / name)
    ontology = next(o for o in g.subjects(RDF_TYPE, OWL.Ontology) if str(o).startswith(BASE))
    named = [(p, v) for p in (OWL.versionIRI, OWL.priorVersion, OWL.imports) for v in g.objects(ontology, p)]
    assert any(p == OWL.versionIRI for p, _v in named)
    if name != "cameo.ttl":
        assert any(p == OWL.priorVersion for p, _v in named)
    for _p, version in named:
        assert str(version).startswith(BASE)
        served = client.get("/" + str(version)[len(BASE) :], headers={"Accept": "text/turtle"})
        assert served.status_code == 200, version
        doc = _graph(served.data, "text/turtle")
        assert any(doc.subjects(OWL.versionIRI, version)), f"{version} serves a document of another version"


# --------------------------------------------------------------------- headers


def test_link_headers_name_every_format_and_the_description(client: FlaskClient) -> None:
    response = client.get("/resource/state/north-korea", headers={"Accept": "text/html"})
    links = _links(response.headers["Link"])
    alternates = {p["type"]: t for t, p in links if p["rel"] == "alternate"}
    assert set(TRIPLE_FORMATS.values()) | {"application/ld+json", "text/html"} <= set(alternates)
    for media, target in alternates.items():
        got = client.get(target.removeprefix("http://127.0.0.1:8000"))
        assert got.status_code == 200 and got.mimetype == media, target
    head = response.get_data(as_text=True).split("</head>")[0]
    assert '<link rel="alternate" type="application/ld+json" href="?format=jsonld">' in head
    described = [t for t, p in links if p["rel"] == "describedby"]
    assert described and described[0].startswith("http://127.0.0.1:8000/resource/state/north-korea")


def test_validators_and_304_before_any_query(client: FlaskClient) -> None:
    path = "/resource/state/japan"
    first = client.get(path, headers={"Accept": "text/turtle"})
    tag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    since = client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    other = client.get(path, headers={"Accept": "application/n-triples", "If-None-Match": tag})
    assert other.status_code == 200 and other.headers["ETag"] != tag


def test_gzip_on_request(client: FlaskClient) -> None:
    plain = client.get("/graph/reference", headers={"Accept": "text/turtle"})
    packed = client.get("/graph/reference", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert "Accept-Encoding" in packed.headers["Vary"] and packed.headers["ETag"] != plain.headers["ETag"]
    dump = client.get("/dump/nq", headers={"Accept-Encoding": "gzip"})
    whole = client.get("/dump/nq")
    try:
        assert dump.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(dump.get_data()) == whole.get_data()
    finally:
        dump.close()
        whole.close()


def test_turtle_dump_has_prefixes_and_one_charset(client: FlaskClient) -> None:
    response = client.get("/dump/ttl")
    data = response.get_data()
    response.close()
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert data.startswith(b"@prefix") and b"pen:" in data
    assert "ETag" in response.headers and "Last-Modified" in response.headers
    assert _links(response.headers["Link"]) == [
        ("http://127.0.0.1:8000/void", {"rel": "describedby", "type": "text/turtle"})
    ]
    unchanged = client.get("/dump/ttl", headers={"If-None-Match": response.headers["ETag"]})
    assert unchanged.status_code == 304


# --------------------------------------------------------------------- self-description


def test_void_and_dcat_under_the_base_iri(client: FlaskClient) -> None:
    g = _graph(client.get("/void", headers={"Accept": "text/turtle"}).data, "text/turtle")
    ds = URIRef(BASE + "void#dataset")
    assert (ds, RDF_TYPE, DCAT.Dataset) in g and (ds, RDF_TYPE, VOID.Dataset) in g
    assert g.value(ds, DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(g.value(ds, DCT.publisher), URIRef("http://xmlns.com/foaf/0.1/name")) is not None
    assert g.value(ds, DCT.created) is not None and g.value(ds, DCT.modified) is not None
    vocabularies = set(g.objects(ds, VOID.vocabulary))
    assert (
        URIRef(str(PEN)) in vocabularies and URIRef("http://www.w3.org/2000/01/rdf-schema#") in vocabularies
    )
    partitions = {
        g.value(p, VOID.property): int(g.value(p, VOID.triples))
        for p in g.objects(ds, VOID.propertyPartition)
    }  # type: ignore[arg-type]
    counted = json.loads(
        client.get(
            "/sparql",
            query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{PEN.participant}> ?o }}"},
            headers={"Accept": "application/sparql-results+json"},
        ).data
    )
    assert partitions[PEN.participant] == int(counted["results"]["bindings"][0]["n"]["value"])
    linksets = [s for s in g.subjects(RDF_TYPE, VOID.Linkset)]
    assert any(g.value(s, VOID.linkPredicate) == OWL.sameAs for s in linksets)
    dumps = set(g.objects(ds, DCAT.distribution))
    assert URIRef("http://127.0.0.1:8000/dump/ttl") in dumps


def test_service_description_names_the_named_graphs(client: FlaskClient) -> None:
    g = _graph(client.get("/sparql", headers={"Accept": "text/turtle"}).data, "text/turtle")
    names = {g.value(n, SD.name) for n in g.objects(None, SD.namedGraph)}
    rows = client.get(
        "/sparql",
        query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()["results"]["bindings"]
    assert names == {URIRef(r["g"]["value"]) for r in rows} and len(names) == 3


def test_service_description_bounds_its_named_graphs(settings: Settings, tmp_path: Path) -> None:
    from server.void import NAMED_GRAPHS_LISTED

    data = tmp_path / "graphs.trig"
    count = NAMED_GRAPHS_LISTED + 3
    data.write_text(
        "\n".join(
            f'<{BASE}graph/article/a{i:05d}> {{ <{RES}x{i}> <{RDFS_LABEL}> "x" . }}' for i in range(count)
        ),
        encoding="utf-8",
    )
    app = create_app(settings.with_(query_workers=1, short_query_workers=0), data=[data])
    try:
        body = app.test_client().get("/sparql", headers={"Accept": "text/turtle"}).data
    finally:
        close_app(app)
    g = _graph(body, "text/turtle")
    names = sorted(str(g.value(n, SD.name)) for n in g.objects(None, SD.namedGraph))
    assert len(names) == NAMED_GRAPHS_LISTED and names[0] == f"{BASE}graph/article/a00000"
    notes = [str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))]
    assert any(f"{NAMED_GRAPHS_LISTED} of {count} named graphs" in n for n in notes)


# --------------------------------------------------------------------- real servers


@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # rdflib's JSON-LD parser
def test_live_jsonld_is_read_by_rdflib_fetching_the_context(live_server: LiveServer) -> None:
    url = live_server.url + "resource/person/antony-blinken"
    doc = requests.get(url, headers={"Accept": "application/ld+json"}, timeout=30)
    assert doc.status_code == 200 and doc.json()["@context"] == live_server.url + "context.jsonld"
    turtle = requests.get(url, headers={"Accept": "text/turtle"}, timeout=30)
    g = Graph().parse(data=doc.text, format="json-ld")  # rdflib fetches the context over HTTP
    assert isomorphic(g, Graph().parse(data=turtle.text, format="turtle"))
    assert (
        URIRef(RES + "meeting/2021-03-18-antony-blinken-chung-eui-yong"),
        PEN.participant,
        URIRef(RES + "person/antony-blinken"),
    ) in g


def test_live_graph_and_gzip_and_304(live_server: LiveServer) -> None:
    session = requests.Session()
    url = live_server.url + "graph/article/fixture-launch"
    first = session.get(url, headers={"Accept": "text/turtle"}, timeout=30)  # requests asks for gzip
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    g = Graph().parse(data=first.text, format="turtle")
    assert (URIRef(RES + "article/fixture-launch"), RDF_TYPE, PEN.Article) in g
    again = session.get(
        url, headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]}, timeout=30
    )
    assert again.status_code == 304 and again.content == b""


def test_live_validators_change_with_a_new_build(
    start_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    make_store(store, [FIXTURE])
    server = start_server(store=store)
    url = server.url + "resource/state/japan"
    dump = server.url + "dump/nt"
    before = requests.get(url, headers={"Accept": "text/turtle"}, timeout=30)
    dump_before = requests.get(dump, timeout=60)
    assert (
        requests.get(
            url, headers={"Accept": "text/turtle", "If-None-Match": before.headers["ETag"]}, timeout=30
        ).status_code
        == 304
    )
    extra = tmp_path / "extra.trig"
    extra.write_text(
        f'<{BASE}graph/reference> {{ <{RES}state/japan> <{RDFS_LABEL}> "Nippon" . }}', encoding="utf-8"
    )
    make_store(store, [FIXTURE, extra])
    after = requests.get(
        url, headers={"Accept": "text/turtle", "If-None-Match": before.headers["ETag"]}, timeout=30
    )
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Nippon" in after.text
    dump_after = requests.get(dump, headers={"If-None-Match": dump_before.headers["ETag"]}, timeout=60)
    assert dump_after.status_code == 200 and b"Nippon" in dump_after.content


def test_live_ontology_versions_void_and_dumps(live_server: LiveServer) -> None:
    core = Graph().parse(ROOT / "ontology" / "peninsula.ttl")
    version = str(core.value(URIRef(BASE + "ontology"), OWL.versionIRI))
    for iri in (version, BASE + "ontology/alignments"):
        got = requests.get(
            live_server.url + iri[len(BASE) :], headers={"Accept": "application/rdf+xml"}, timeout=30
        )
        assert got.status_code == 200 and got.headers["Content-Type"] == "application/rdf+xml; charset=utf-8"
        assert (None, RDF_TYPE, OWL.Ontology) in Graph().parse(data=got.text, format="xml")
    void = Graph().parse(
        data=requests.get(live_server.url + "void", headers={"Accept": "text/turtle"}, timeout=30).text,
        format="turtle",
    )
    ds = URIRef(BASE + "void#dataset")
    assert void.value(ds, VOID.sparqlEndpoint) == URIRef(live_server.url + "sparql")
    assert {URIRef(BASE + "graph/reference")} <= set(void.objects(ds, VOID.subset))
    dump = requests.get(live_server.url + "dump/ttl", timeout=60)  # requests asks for gzip
    assert (
        dump.headers["Content-Encoding"] == "gzip"
        and dump.headers["Content-Type"] == "text/turtle; charset=utf-8"
    )
    g = Graph().parse(data=dump.text, format="turtle")
    assert (URIRef(RES + "state/japan"), RDFS_LABEL, Literal("Japan", lang="en")) in g


def test_an_update_changes_the_validators(tmp_path: Path) -> None:
    """On an update server the private copy changes with each update: so do the ETags."""
    settings = Settings.load({"update_token": "s3cret", "query_workers": 1, "store": str(tmp_path)}, env={})
    app = create_app(settings, data=[FIXTURE])
    try:
        client = app.test_client()
        before = client.get("/resource/state/japan", headers={"Accept": "text/turtle"})
        # into the default graph, which descriptions read (an update writes what it names: decision 0001)
        update = f'INSERT DATA {{ <{RES}state/japan> <{RDFS_LABEL}> "Nihon" }}'
        done = client.post(
            "/sparql",
            data=update,
            content_type="application/sparql-update",
            headers={"Authorization": "Bearer s3cret"},
        )
        assert done.status_code == 204
        after = client.get(
            "/resource/state/japan",
            headers={"Accept": "text/turtle", "If-None-Match": before.headers["ETag"]},
        )
        assert after.status_code == 200 and b"Nihon" in after.data
    finally:
        close_app(app)


def test_a_kept_earlier_version_keeps_resolving(settings: Settings, engine: object, tmp_path: Path) -> None:
    """After a version bump, the previous file kept in the folder answers its version IRI
    (the one the new version names as owl:priorVersion) and the ontology IRI the new one."""
    import shutil

    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    old = (folder / "peninsula.ttl").read_text(encoding="utf-8")
    current = str(Graph().parse(data=old, format="turtle").value(URIRef(BASE + "ontology"), OWL.versionIRI))
    earlier = Graph().parse(data=old, format="turtle").value(URIRef(BASE + "ontology"), OWL.priorVersion)
    (folder / "versions").mkdir(exist_ok=True)
    (folder / "versions" / "peninsula-previous.ttl").write_text(old, encoding="utf-8")
    bumped = old.replace(f"owl:versionIRI <{current}>", f"owl:versionIRI <{BASE}ontology/99.0.0>")
    if earlier is not None:
        bumped = bumped.replace(f"owl:priorVersion <{earlier}>", f"owl:priorVersion <{current}>")
    else:
        bumped = bumped.replace(
            f"owl:versionIRI <{BASE}ontology/99.0.0>",
            f"owl:versionIRI <{BASE}ontology/99.0.0> ; owl:priorVersion <{current}>",
        )
    assert bumped != old
    (folder / "peninsula.ttl").write_text(bumped, encoding="utf-8")
    app = create_app(settings.with_(ontology_dir=folder), engine=engine)  # type: ignore[arg-type]
    try:
        client = app.test_client()
        newest = _graph(client.get("/ontology", headers={"Accept": "text/turtle"}).data, "text/turtle")
        assert newest.value(URIRef(BASE + "ontology"), OWL.priorVersion) == URIRef(current)
        assert client.get("/ontology/99.0.0", headers={"Accept": "text/turtle"}).status_code == 200
        prior = client.get("/" + current[len(BASE) :], headers={"Accept": "text/turtle"})
        assert prior.status_code == 200
        assert _graph(prior.data, "text/turtle").value(URIRef(BASE + "ontology"), OWL.versionIRI) == URIRef(
            current
        )
    finally:
        close_app(app)
