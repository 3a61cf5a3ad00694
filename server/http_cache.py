"""HTTP caching, compression and links for what the linked-data views serve.

- **Validators tied to the build.** ``build_info()`` names the build being served and
  when it was published; ``etag()`` hashes it with the request's path, query, chosen
  format and encoding, and the release (and, for HTML, the server process, whose templates
  made the page), so that new code is not taken for the old. ``not_modified()`` answers 304 to ``If-None-Match`` /
  ``If-Modified-Since`` *before* any query runs; ``cacheable()`` adds ``ETag``,
  ``Last-Modified`` and ``Cache-Control`` to a response.
- **gzip on request.** ``gzip_body()`` compresses a body in memory when the client sent
  ``Accept-Encoding: gzip`` and the body is large enough to gain; dumps are compressed once
  per build to a file beside them (``gzip_file``) and streamed, as a static server's
  ``gzip_static`` would, rather than compressed again for each download.
- **Link headers.** ``link_header()`` writes RFC 8288 links (alternate formats,
  describedby, the dataset).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from flask import Response, request

from kg.engine.jobs import FilesSource, StatsJob, StoreSource
from server.endpoint import endpoint_state

__all__ = [
    "BuildInfo",
    "accepts_gzip",
    "build_info",
    "cacheable",
    "etag",
    "file_info",
    "gzip_body",
    "gzip_file",
    "link_header",
    "not_modified",
]

GZIP_MIN_BYTES = 1024  # below this gzip gains little and costs a round of CPU
MAX_AGE_S = 300  # clients revalidate after 5 minutes: a new build may be published any time
_STARTED = str(time.time_ns())  # HTML pages also change with the templates of this process
_first_seen: dict[str, float] = {}
_first_seen_lock = threading.Lock()


@dataclass(frozen=True)
class BuildInfo:
    """The build a server answers from: its id, when it was written and published."""

    build: str
    created: datetime
    modified: datetime


def _seen(build: str) -> float:
    """When this process first saw ``build`` (for sources with no file to date them)."""
    with _first_seen_lock:
        return _first_seen.setdefault(build, time.time())


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(int(ts), tz=UTC)


def build_info() -> BuildInfo:
    """The build being served. For a read-only server over a store: the build ``current``
    points at (one readlink), published when the link was made; for ``--data`` files: the
    files' newest modification; otherwise (an update server's private copy, whose id
    changes with each update, over a store or files) when this process first saw the
    engine's build id."""

    state = endpoint_state()
    source = getattr(state.engine, "source", None)
    if isinstance(source, StoreSource) and not state.settings.update_token:
        link = Path(source.store_dir) / "current"
        try:
            name = os.path.basename(os.readlink(link))
            published = link.lstat().st_mtime
            created = (Path(source.store_dir) / "builds" / name).stat().st_mtime
        except OSError:
            name, published, created = "none", _seen("none"), _seen("none")
        return BuildInfo(name, _utc(min(created, published)), _utc(published))
    if isinstance(source, FilesSource) and not state.settings.update_token:
        times = [Path(p).stat().st_mtime for p in source.paths if Path(p).exists()] or [_seen("files")]
        name = "data:" + ",".join(
            f"{Path(p).name}@{int(t)}" for p, t in zip(source.paths, times, strict=False)
        )
        return BuildInfo(name, _utc(min(times)), _utc(max(times)))
    build = str(state.engine.run(StatsJob(), timeout_s=state.settings.query_timeout_s)["build"])
    seen = _seen(build)
    return BuildInfo(build, _utc(seen), _utc(seen))


def file_info(path: Path) -> BuildInfo:
    """Validators of a file served as it is (the ontology): its modification time."""
    stamp = path.stat().st_mtime
    return BuildInfo(f"file:{path.name}@{path.stat().st_mtime_ns}", _utc(stamp), _utc(stamp))


def accepts_gzip() -> bool:
    """True when the request accepts a gzip-coded body."""
    return request.accept_encodings["gzip"] > 0


def _code_version() -> str:
    try:
        return version("peninsula-kg")
    except PackageNotFoundError:
        return "unknown"


def etag(info: BuildInfo, representation: str, *parts: str) -> str:
    """A strong validator for one representation of this request's resource in this build
    and release (for HTML, of this server process, whose templates made it)."""
    digest = hashlib.sha256()
    code = _code_version() + (_STARTED if representation == "html" else "")
    query = request.query_string.decode("latin-1")
    for part in (code, info.build, request.path, query, representation, *parts):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()[:32]


def not_modified(tag: str, info: BuildInfo, vary: str = "Accept") -> Response | None:
    """A 304 when the client's copy is current (``If-None-Match`` wins over
    ``If-Modified-Since``, RFC 9110 §13.2.2), else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    inm = request.if_none_match
    if inm:
        fresh = inm.contains_weak(tag) or inm.star_tag
    else:
        since = request.if_modified_since
        fresh = since is not None and info.modified <= since
    if not fresh:
        return None
    response = Response(status=304)
    _validators(response, tag, info, MAX_AGE_S)
    for name in vary.split(","):
        if name.strip():
            response.vary.add(name.strip())
    return response


def _validators(response: Response, tag: str, info: BuildInfo, max_age: int) -> None:
    response.set_etag(tag)
    response.last_modified = info.modified
    response.headers["Cache-Control"] = f"public, max-age={max_age}"


def cacheable(response: Response, tag: str, info: BuildInfo, max_age: int = MAX_AGE_S) -> Response:
    """``response`` with ETag, Last-Modified and Cache-Control."""
    if response.status_code == 200:
        _validators(response, tag, info, max_age)
    return response


def gzip_body(response: Response) -> Response:
    """Compress a buffered 200 body with gzip when the client accepts it and it is large
    enough; says ``Vary: Accept-Encoding`` either way. The ETag must already name the
    encoding (``etag(..., encoding)``), so the two variants never share a validator."""
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or not accepts_gzip()
    ):
        return response
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response


def gzip_file(path: Path) -> Path:
    """``path`` compressed to ``path.gz`` once (written aside, then renamed, so a reader
    never sees half a file); the caller holds the lock of ``path``."""
    target = path.with_name(path.name + ".gz")
    if not target.exists():
        tmp = target.with_name(target.name + ".part")
        with path.open("rb") as src, gzip.GzipFile(tmp, "wb", compresslevel=6, mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, target)
    return target


def link_header(links: Iterable[tuple[str, dict[str, Any]]]) -> str:
    """An RFC 8288 ``Link`` value from (target, parameters) pairs."""
    out = []
    for target, params in links:
        attrs = "".join(f'; {k}="{v}"' for k, v in params.items())
        out.append(f"<{target}>{attrs}")
    return ", ".join(out)
