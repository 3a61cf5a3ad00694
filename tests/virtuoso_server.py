"""A scratch Virtuoso Open Source server on loopback, for the tests and the backend benchmark.

``start_virtuoso(folder)`` writes a ``virtuoso.ini`` into ``folder`` (database, logs, free
loopback ports for SQL and HTTP, no result-set cap, no execution-time cap of its own: the
engine sends one per query), starts ``virtuoso-t`` in the foreground, waits until its
SPARQL endpoint answers, and makes a user ``peninsula`` with a generated password and the
``SPARQL_UPDATE`` role, for the authenticated endpoints (``/sparql-auth``,
``/sparql-graph-crud-auth``, digest authentication); anonymous ``/sparql`` stays
read-only. The new database's ``dba`` password (Virtuoso's published default) is replaced
by another generated one. Passwords go to ``isql-vt`` on its standard input, never in its
arguments. ``VirtuosoServer.stop`` ends the process (and only it).

Virtuoso comes from Debian (``virtuoso-opensource``, installed by
scripts/install-system-deps.sh).
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.settings import Settings

__all__ = ["VirtuosoServer", "VirtuosoStartError", "remote_settings", "start_virtuoso"]

USER = "peninsula"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class VirtuosoStartError(RuntimeError):
    """Virtuoso is not installed, or did not start (the message holds its log's tail)."""


@dataclass
class VirtuosoServer:
    """A running scratch server: where it answers, and the update user's credentials."""

    process: subprocess.Popen[bytes]
    folder: Path
    http_port: int
    sql_port: int
    password: str = field(repr=False)
    user: str = USER

    @property
    def url(self) -> str:
        """The anonymous (read-only) SPARQL endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def store(self) -> str:
        """The value of the ``store_endpoint`` setting for this server."""
        return "sparql+" + self.url

    @property
    def env(self) -> dict[str, str]:
        """The environment that gives the engine the update user's credentials."""
        return {"PENINSULA_STORE_USER": self.user, "PENINSULA_STORE_PASSWORD": self.password}

    def stop(self) -> None:
        """End the server process (checkpointing is not needed: the database is scratch)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def remote_settings(store: Path, server: VirtuosoServer, **values: object) -> Settings:
    """Settings of a local store ``store`` published to ``server`` (nothing from the environment)."""
    return Settings.load({"store": store, "seeds": SEEDS, "store_endpoint": server.store, **values}, env={})


def _load_script(folder: Path, files: Sequence[Path]) -> str:
    """Statements that bulk-load ``files``, linked into ``folder`` (the one directory the
    server may read)."""
    if not files:
        return ""
    for path in files:
        (folder / path.name).symlink_to(path.resolve())
    lines = [f"ld_dir('.', '{p.name}', 'urn:peninsula:unused');" for p in files]
    return "\n".join([*lines, "rdf_loader_run();", "checkpoint;", ""])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
MaxQueryMem = 1G
MaxSortedTopRows = 100000000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 20
ServerThreads = 20
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""

_SETUP = """\
DB.DBA.USER_CREATE('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 3);
DB.DBA.USER_CHANGE_PASSWORD('dba', 'dba', '{dba}');
"""


def start_virtuoso(
    folder: Path, *, buffers: int = 20000, wait_s: float = 120.0, load: Sequence[Path] = ()
) -> VirtuosoServer:
    """Start a scratch server with its database in ``folder``; raise ``VirtuosoStartError``
    when it cannot (never skip: a test that needs Virtuoso fails loudly without it).
    ``load``: N-Quads files bulk-loaded before the server is handed over (Virtuoso's
    ``ld_dir``/``rdf_loader_run``, as ``dba`` during the setup)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        raise VirtuosoStartError(
            "virtuoso-t/isql-vt not found: run scripts/install-system-deps.sh (Debian package virtuoso-opensource)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    http, sql = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _INI.format(d=folder, sql=sql, http=http, buffers=buffers, dirty=buffers * 3 // 4), encoding="utf-8"
    )
    with (folder / "stdout.log").open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [binary, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=log, stderr=subprocess.STDOUT
        )
    server = VirtuosoServer(process, folder, http, sql, secrets.token_urlsafe(18))
    try:
        _wait(server, wait_s)
        setup = _load_script(folder, load) + _SETUP.format(
            user=USER, password=server.password, dba=secrets.token_hex(16)
        )
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql}", "dba", "dba"],  # the new database's published default
            input=setup.encode(),
            capture_output=True,
            timeout=3600 if load else 60,
            check=False,
        )
        if done.returncode != 0 or b"Error" in done.stdout + done.stderr:
            raise VirtuosoStartError(f"setting up the user failed: {(done.stdout + done.stderr)[-2000:]!r}")
    except BaseException:
        server.stop()
        raise
    return server


def _wait(server: VirtuosoServer, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    probe = server.url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    tail = ""
    for name in ("virtuoso.log", "stdout.log"):
        path = server.folder / name
        if path.exists():
            tail += path.read_text(encoding="utf-8", errors="replace")[-2000:]
    server.stop()
    raise VirtuosoStartError(f"Virtuoso did not answer on {server.url} within {wait_s:.0f} s:\n{tail}")
