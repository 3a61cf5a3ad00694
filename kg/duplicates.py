"""Duplicate articles: one story published under several names, by several outlets.

The same wire story is the commonest thing in a news corpus: one outlet runs it as it
came, another with its own headline, byline and page furniture, a third cut after the
fourth paragraph. Extracting each copy would count one report as several ("how many
articles report X"), so a copy is recorded as a publication of the story it repeats
(``pen:duplicateOf``) and not extracted again.

Two tests, on the body text (after the page furniture is gone; the headline is left out,
since outlets rewrite it):

- **exact**: the same words, once case, spacing and punctuation are folded;
- **near**: the Jaccard similarity of the bodies' sets of word 5-shingles is at least
  :data:`NEAR_DUPLICATE_THRESHOLD`, estimated by MinHash and looked up in an LSH index
  (``datasketch``), so finding the copies of n articles costs O(n), not O(n²).

The threshold was chosen by measuring: a wire story against its copy with another
headline, byline and furniture, or with the last paragraph cut, scores 0.75–1.0; two
different articles about the same launch, written apart, score below 0.1
(``tests/test_kg/test_duplicates.py`` pins both sides; the README gives the figures).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

__all__ = ["NEAR_DUPLICATE_THRESHOLD", "Match", "StoryIndex", "jaccard", "shingles"]

NEAR_DUPLICATE_THRESHOLD = 0.6
_NUM_PERM = 128
_SHINGLE = 5
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = _SHINGLE) -> set[str]:
    """The word ``size``-shingles of ``text``, case and punctuation folded.

    >>> sorted(shingles("North Korea fired. A missile!", 3))
    ['fired a missile', 'korea fired a', 'north korea fired']
    """
    words = _words(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: str, b: str) -> float:
    """The exact Jaccard similarity of two texts' shingle sets (for tests and measurement)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def _fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(_words(text)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Match:
    """The story a text repeats: its key, ``exact`` or ``near``, and the estimated
    similarity (1.0 for an exact copy)."""

    key: str
    kind: str
    similarity: float


class StoryIndex:
    """The stories seen so far, by key (an article id), to find the copies of new texts."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> None:
        self.threshold = threshold
        self._exact: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
        self._hashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    @staticmethod
    def _minhash(text: str) -> MinHash:
        mh = MinHash(num_perm=_NUM_PERM)
        mh.update_batch([s.encode("utf-8") for s in shingles(text)])
        return mh

    def find(self, text: str, *, ignore: str | None = None) -> Match | None:
        """The story ``text`` repeats, if any: an exact copy first, else the most similar
        near copy at or above the threshold. The story ``ignore`` (the article's own
        earlier version, when it is ingested again) does not count."""
        exact = self._exact.get(_fingerprint(text))
        if exact is not None and exact != ignore:
            return Match(exact, "exact", 1.0)
        mh = self._minhash(text)
        best: Match | None = None
        for key in self._lsh.query(mh):
            if key == ignore:
                continue
            similarity = mh.jaccard(self._hashes[key])
            if similarity >= self.threshold and (
                best is None or (similarity, best.key) > (best.similarity, key)
            ):
                best = Match(key, "near", round(similarity, 3))
        return best

    def add(self, key: str, text: str) -> None:
        """Index ``text`` as the story ``key`` (a key already indexed is left as it is)."""
        if key in self._hashes:
            return
        self._exact.setdefault(_fingerprint(text), key)
        mh = self._minhash(text)
        self._hashes[key] = mh
        self._lsh.insert(key, mh)

    def add_all(self, items: Iterable[tuple[str, str]]) -> None:
        for key, text in items:
            self.add(key, text)
