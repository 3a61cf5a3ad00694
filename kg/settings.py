"""Settings, declared once.

Every setting has a name, a type, a default and a help text in ``SETTINGS``. A value comes
from (highest first) a command-line option, the environment variable ``PENINSULA_<NAME>``
(upper case), or the default. The README's settings table is checked against this list by a
test, so a setting cannot go undocumented.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.namespaces import DEFAULT_BASE

__all__ = ["SETTINGS", "Setting", "Settings", "data_dir"]

_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Where a data folder of the distribution (``ontology``, ``queries``) is: the source
    checkout when running from one, else the folder a non-editable install put it in."""
    here = _CHECKOUT / name
    if here.is_dir():
        return here
    return Path(sys.prefix) / "share" / "peninsula-kg" / name


@dataclass(frozen=True)
class Setting:
    """One setting: its name, type, default and help (its environment variable is ``PENINSULA_<NAME>``)."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "PENINSULA_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", str, DEFAULT_BASE, "Base IRI of resources and graphs; must end with '/'."),
    Setting(
        "store",
        Path,
        Path("var/store"),
        "Folder of the on-disk Oxigraph store (the live build and its predecessors).",
    ),
    Setting(
        "store_endpoint",
        str,
        "",
        "SPARQL query endpoint of a remote store, as `sparql+http://host:port/sparql`: `kg build`/`ingest` build in `store` and publish there, `kg serve`/`query`/`export`/`stats` read there; empty: the on-disk store. Update credentials come from the environment only (`PENINSULA_STORE_USER`, `PENINSULA_STORE_PASSWORD`).",
    ),
    Setting(
        "store_update_endpoint",
        str,
        "",
        "SPARQL Update endpoint of the remote store; empty: the query endpoint's path + `-auth` (Virtuoso's `/sparql-auth`).",
    ),
    Setting(
        "store_gsp_endpoint",
        str,
        "",
        "Graph Store Protocol endpoint of the remote store; empty: `/sparql-graph-crud-auth` on the query endpoint's host (Virtuoso's).",
    ),
    Setting("seeds", Path, Path("seeds"), "Folder of input articles that `kg build` reads."),
    Setting(
        "scheduler",
        str,
        "",
        "Address of an existing Dask `distributed` scheduler (`tcp://HOST:PORT`) that `kg build` and `kg ingest` send extraction to, in batches; empty: worker processes on this machine.",
    ),
    Setting(
        "scheduler_timeout_s",
        float,
        10.0,
        "Time a build waits for the Dask scheduler to answer and to have a worker; then it stops with nothing published.",
    ),
    Setting(
        "ontology_dir",
        Path,
        data_dir("ontology"),
        "Folder holding the ontology, alignments and SHACL shapes.",
    ),
    Setting("queries_dir", Path, data_dir("queries"), "Folder of canned queries (`<name>.rq`)."),
    Setting("host", str, "127.0.0.1", "Address the server binds to; loopback unless told otherwise."),
    Setting("port", int, 8000, "Port the server listens on."),
    Setting(
        "public_url",
        str,
        "",
        "URL clients reach the server at (e.g. behind a proxy), used in the service description, VoID and the base IRI of queries; empty: the bound address. The Host header is never used.",
    ),
    Setting(
        "server_threads",
        int,
        32,
        "Request threads of the WSGI server (waitress); a request waiting for a query worker holds one.",
    ),
    Setting(
        "max_connections",
        int,
        1000,
        "Open client connections the server accepts at once (waitress `connection_limit`).",
    ),
    Setting(
        "request_read_timeout_s",
        float,
        10.0,
        "Time a client has to send a whole request, headers and body; a slower one is disconnected.",
    ),
    Setting(
        "client_timeout_s",
        float,
        15.0,
        "Idle time after which a kept-alive connection with no request is closed (waitress `channel_timeout`).",
    ),
    Setting(
        "query_workers",
        int,
        2,
        "Worker processes that evaluate queries; one crashing or timed-out query costs one worker, which is replaced.",
    ),
    Setting(
        "short_query_workers",
        int,
        2,
        "More worker processes kept for short queries: one runs a query only while every other worker is busy, and for at most `short_query_s`; a query running longer on another worker is lowered to nice 10.",
    ),
    Setting(
        "short_query_s",
        float,
        0.5,
        "CPU time a query may use on a worker kept for short queries (wall-clock time: 4 times that, at least 2 s); a longer one is moved to the queue of the other workers and remembered as long.",
    ),
    Setting(
        "queue_wait_s",
        float,
        10.0,
        "Longest wait for a free worker; then 503 with Retry-After.",
    ),
    Setting(
        "max_queued",
        int,
        16,
        "Requests that may wait for a busy worker at once; one more gets 503 with Retry-After at once.",
    ),
    Setting(
        "query_memory_mb",
        int,
        2048,
        "Memory one query may add to its worker's resident size, in MiB; a query over it is stopped (503) and the worker replaced.",
    ),
    Setting(
        "query_timeout_s",
        float,
        30.0,
        "Time limit of one query, in seconds; a query still running then is stopped.",
    ),
    Setting(
        "max_rows",
        int,
        100_000,
        "Row cap of a SELECT result; a capped result says so in a header and, in JSON, a field.",
    ),
    Setting("max_request_bytes", int, 1_000_000, "Largest request body accepted (413 above it)."),
    Setting(
        "max_query_depth",
        int,
        200,
        "Deepest nesting of brackets a query may have (the engine crashes on a few thousand).",
    ),
    Setting(
        "max_expression_terms",
        int,
        1000,
        "Most operators (`||`, `&&`, `+`, `=`, ...) and UNIONs in one bracket of a query (the engine crashes on 5,000 to 10,000).",
    ),
    Setting(
        "max_group_elements",
        int,
        100,
        "Most triple patterns, OPTIONALs, MINUSes, FILTERs and BINDs in one group `{ }` of a query (planning 200 takes seconds).",
    ),
    Setting(
        "max_path_steps",
        int,
        100,
        "Longest property path (steps joined by `/` or `|`) in a query (1,000 steps run for minutes).",
    ),
    Setting(
        "update_token",
        str,
        "",
        "Bearer token that enables SPARQL Update and the Graph Store Protocol; empty keeps the store read-only.",
    ),
    Setting(
        "token_failures_per_minute",
        int,
        10,
        "Wrong update tokens accepted from one client address in a minute; beyond that its token requests get 429 until the minute is over.",
    ),
    Setting(
        "federation_allow_list",
        str,
        "",
        "Space-separated endpoint IRIs that SERVICE may call; empty refuses all SERVICE clauses.",
    ),
    Setting(
        "dataset_license",
        str,
        "https://creativecommons.org/licenses/by/4.0/",
        "Licence of the dataset, as an IRI, in its VoID and DCAT description.",
    ),
    Setting(
        "publisher",
        str,
        "The Peninsula KG developers",
        "Name of the dataset's publisher, in its VoID and DCAT description.",
    ),
    Setting(
        "max_article_bytes",
        int,
        2_000_000,
        "Largest article file the pipeline reads; larger ones are reported and skipped.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _convert(setting: Setting, raw: Any) -> Any:
    if setting.type is Path:
        return Path(raw)
    return setting.type(raw)


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build with ``Settings.load(overrides)``; tests pass their own."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in _BY_NAME:
            return self.values.get(name, _BY_NAME[name].default)
        raise AttributeError(name)

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Defaults, then the environment, then non-None ``overrides`` (e.g. CLI options)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for s in SETTINGS:
            if s.env_var in env:
                values[s.name] = _convert(s, env[s.env_var])
        for name, raw in (overrides or {}).items():
            if raw is None:
                continue
            if name not in _BY_NAME:
                raise KeyError(f"unknown setting {name!r}")
            values[name] = _convert(_BY_NAME[name], raw)
        return cls(values)

    def with_(self, **changes: Any) -> Settings:
        """These settings with some values changed."""
        return replace(self, values={**self.values, **changes})

    def as_dict(self) -> dict[str, Any]:
        """Every setting's value, by name."""
        return {s.name: getattr(self, s.name) for s in SETTINGS}
