"""The HTTP side of a remote SPARQL 1.1 store: where it answers, and one request to it.

``RemoteStore`` holds the store's three endpoints (Protocol queries, Update, Graph Store
Protocol) and the update user's credentials, which come from the environment only
(``PENINSULA_STORE_USER``, ``PENINSULA_STORE_PASSWORD``): never from the command line, and
never written to a log or a message. ``RemoteStore.request`` sends one request with the
standard library's client (digest or basic authentication, as the store asks) under a
time limit, and maps failures to the domain errors.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlencode, urlsplit, urlunsplit

from kg.engine.jobs import GraphNotFoundError, ReadOnlyError
from kg.errors import KGError, QueryError, QueryTimeoutError
from kg.settings import Settings

__all__ = ["SCHEME", "RemoteStore", "RemoteStoreError", "Reply", "is_remote"]

SCHEME = "sparql+"  # store_endpoint = sparql+http://host:port/sparql
USER_VAR = "PENINSULA_STORE_USER"
PASSWORD_VAR = "PENINSULA_STORE_PASSWORD"


class RemoteStoreError(KGError):
    """The remote store could not be reached, or answered with an error of its own."""


def is_remote(settings: Settings) -> bool:
    """True when the settings choose a remote store (``store_endpoint`` is set)."""
    return bool(str(settings.store_endpoint).strip())


@dataclass(frozen=True)
class Reply:
    """A store's answer: status, headers and the whole body."""

    status: int
    headers: Message
    body: bytes


@dataclass(frozen=True)
class RemoteStore:
    """A remote store's endpoints and update credentials (``repr`` never shows the password)."""

    query_url: str
    update_url: str
    gsp_url: str
    base_iri: str
    user: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> RemoteStore:
        """The store the settings name; the update and GSP endpoints default to Virtuoso's
        authenticated ones beside the query endpoint (``/sparql-auth``,
        ``/sparql-graph-crud-auth``)."""
        env = os.environ if env is None else env
        query = str(settings.store_endpoint).strip().removeprefix(SCHEME)
        parts = urlsplit(query)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KGError(f"store_endpoint must be sparql+http(s)://host:port/path, not {query!r}")
        update = str(settings.store_update_endpoint).strip() or query.rstrip("/") + "-auth"
        gsp = str(settings.store_gsp_endpoint).strip() or urlunsplit(
            (parts.scheme, parts.netloc, "/sparql-graph-crud-auth", "", "")
        )
        return cls(
            query, update, gsp, str(settings.base_iri), env.get(USER_VAR, ""), env.get(PASSWORD_VAR, "")
        )

    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]  # never a proxy
        if self.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, self.user, self.password)
            handlers += [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        return urllib.request.build_opener(*handlers)

    def _authorize(self, req: urllib.request.Request, timeout_s: float) -> None:
        """Answer the store's digest challenge before sending a body: a store that refuses
        the unauthenticated request closes the connection before reading a large body (a
        broken pipe). The challenge comes from a bodiless GET of the same URL."""
        probe = urllib.request.Request(req.full_url, method="GET")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(probe, timeout=timeout_s):
                return  # no challenge: the handlers answer one if it comes
        except urllib.error.HTTPError as exc:
            challenge = _challenge(exc) if exc.code == 401 else None
            exc.close()
        except (urllib.error.URLError, TimeoutError):
            return
        if challenge is None:
            return
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, req.full_url, self.user, self.password)
        header = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(req, challenge)
        if header:
            req.add_unredirected_header("Authorization", f"Digest {header}")

    def request(
        self,
        url: str,
        *,
        method: str = "GET",
        params: Mapping[str, str | list[str]] | None = None,
        form: Mapping[str, str | list[str]] | None = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout_s: float = 30.0,
        writes: bool = False,
    ) -> Reply:
        """One request; ``form`` is sent url-encoded in the body (POST), ``body`` as it is.
        A 404 is ``GraphNotFoundError``; a 4xx the store's message as ``QueryError``; past
        ``timeout_s`` ``QueryTimeoutError``; anything else ``RemoteStoreError``."""
        if writes and not self.user:
            raise ReadOnlyError(f"writing to the remote store needs {USER_VAR} and {PASSWORD_VAR}")
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        data = body
        hdrs = dict(headers or {})
        if form is not None:
            data = urlencode(form, doseq=True).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            method = "POST"
        req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
        if self.user and data:
            self._authorize(req, timeout_s)
        deadline = time.monotonic() + timeout_s
        try:
            with self._opener(url).open(req, timeout=timeout_s) as response:
                payload = response.read()
                if time.monotonic() > deadline:
                    raise QueryTimeoutError(f"the remote store took longer than {timeout_s:g} s")
                return Reply(response.status, response.headers, payload)
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace").strip()
            if exc.code == 404:
                raise GraphNotFoundError(text.splitlines()[0] if text else "not found") from None
            if exc.code in (401, 403):
                raise RemoteStoreError(f"the remote store refused the credentials ({exc.code})") from None
            if 400 <= exc.code < 500:
                raise QueryError(_store_message(text)) from None
            if "S1TAT" in text or "timeout" in text.lower():
                raise QueryTimeoutError(f"the query ran past the time limit of {timeout_s:g} s") from None
            raise RemoteStoreError(f"the remote store failed ({exc.code}): {_store_message(text)}") from None
        except TimeoutError:
            raise QueryTimeoutError(f"the query ran past the time limit of {timeout_s:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryTimeoutError(f"the query ran past the time limit of {timeout_s:g} s") from None
            raise RemoteStoreError(f"cannot reach the remote store at {_where(url)}: {exc.reason}") from None


def _challenge(reply: urllib.error.HTTPError) -> dict[str, str] | None:
    header = reply.headers.get("WWW-Authenticate", "")
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "digest":
        return None
    return urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))


def _where(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _store_message(text: str) -> str:
    """The store's error message, without the echo of the query Virtuoso appends."""
    head = text.split("\nSPARQL query:", 1)[0].strip()
    return head[:2000] or "the remote store refused the request"
