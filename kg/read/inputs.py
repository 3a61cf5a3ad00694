"""The inputs of a build: which files, read how, under which ids.

- :func:`collect_files` lists the article files of folders and paths, and reports every
  entry it will not read (a dangling link, a link loop, a link out of the folder, a FIFO,
  socket or device) rather than passing over it in silence or blocking on it;
- :func:`read_all` reads them (:func:`kg.read.article.read_article`), reporting bad ones;
- :func:`assign_ids` gives each article an id that no other article in the store has.

An article is *the same article* as one in the store when it comes from the same source:
the same URL (from its metadata) or, without one, the same file name. The id is the slug
of that source ('index' for '…/world/index.html'); when another source already has that
slug, the id gets a suffix from a hash of the source ('index-3f2a9c1d'), so two different
articles never share an id, and the same article ingested again finds its id again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ArticleError
from kg.facts import Article
from kg.read.article import is_article_file, read_article

__all__ = ["Skipped", "assign_ids", "collect_files", "identity", "read_all"]


@dataclass(frozen=True)
class Skipped:
    """An input that was not read, and why."""

    name: str
    reason: str


def _odd_entry(path: Path, folder: Path) -> str | None:
    """Why a folder entry is not an article file that can be read, or None when it is
    one (or is simply not an article: other names are left alone)."""
    try:
        info = path.lstat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                return "a symbolic link loop"
            return f"a dangling symbolic link (to {os.readlink(path)})"
        if os.path.commonpath([target, os.path.realpath(folder)]) != os.path.realpath(folder):
            return f"a symbolic link out of the folder (to {target})"
        info = os.stat(path)
    if stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode):
        return None
    kind = (
        "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
    )
    return f"{kind}, not a regular file"


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Article files named by ``paths``: files as given, folders' ``*.txt``/``*.md`` files
    (sorted, not recursive; sidecar ``*.meta.yaml`` files are left to the reader). Paths
    that do not exist, and folder entries that cannot be read as files, are reported."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.name.startswith("."):
                    continue
                odd = _odd_entry(entry, path)
                if odd is not None:
                    skipped.append(Skipped(entry.name, odd))
                elif is_article_file(entry):
                    files.append(entry)
        elif path.is_file():
            files.append(path)
        elif path.exists() or path.is_symlink():
            skipped.append(Skipped(str(path), _odd_entry(path, path.parent) or "not a regular file"))
        else:
            skipped.append(Skipped(str(path), "no such file or folder"))
    return files, skipped


def read_all(
    sources: Iterable[Path | tuple[str, bytes]], *, max_bytes: int
) -> tuple[list[Article], list[Skipped]]:
    """Read every source (a file, or a name and bytes); bad ones are reported, not raised.
    Two inputs from the same source (the same URL, or the same file name) are one
    article: the first is kept and the second reported."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for source in sources:
        try:
            if isinstance(source, Path):
                article = read_article(source, max_bytes=max_bytes)
            else:
                article = read_article(source[1], name=source[0], max_bytes=max_bytes)
        except ArticleError as exc:
            skipped.append(Skipped(exc.name, exc.reason))
            continue
        key = identity(article)
        if key in seen:
            skipped.append(Skipped(article.source_name, f"the same source as {seen[key]} ({key})"))
            continue
        seen[key] = article.source_name
        articles.append(article)
    return articles, skipped


def identity(article: Article) -> str:
    """What makes an article the same article: its URL, else its file name."""
    return article.url or Path(article.source_name).name


def _suffixed(slug: str, key: str) -> str:
    return f"{slug}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def assign_ids(
    articles: Iterable[Article], taken: Mapping[str, str] | None = None
) -> tuple[list[Article], list[str]]:
    """The articles with ids unique in the store, and a note for each id that had to be
    changed. ``taken`` maps the ids in the store to their sources (:func:`identity`): an
    article from a source already in the store gets that source's id back."""
    by_source = {key: slug for slug, key in (taken or {}).items()}
    used = dict(taken or {})
    out: list[Article] = []
    notes: list[str] = []
    for article in articles:
        key = identity(article)
        slug = by_source.get(key, article.slug)
        if used.get(slug, key) != key:
            slug = _suffixed(article.slug, key)
            notes.append(
                f"{article.source_name}: id '{article.slug}' belongs to another article ({used[article.slug]}); "
                f"this one is '{slug}'"
            )
        used[slug] = key
        by_source[key] = slug
        out.append(article if slug == article.slug else dataclasses.replace(article, slug=slug))
    return out, notes
