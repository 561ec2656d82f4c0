"""The in-memory store: every loaded digest and every paper, merged by id.

A paper that appears in several digests is one Paper that remembers each digest. Views (by day,
all days) are computed once per change and cached, because the UI asks for them on every keystroke.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tui.gcpause import gc_paused, settle
from tui.links import keep_safe_links
from tui.loader import DEFAULT_MAX_BYTES, Candidate, discover, read_digest
from tui.model import Digest, Kind, Paper, ParseResult, normalise_title, path_text, title_id

if TYPE_CHECKING:
    from tui.cache import ParseCache

# Fields filled from a later appearance when the first one lacked them (e.g. an arXiv
# replacement entry has no abstract; the HF page of the same paper does).
_FILLABLE = ("abstract", "authors", "author_count", "organization", "published", "upvotes", "categories", "comments", "num_comments")


@dataclass(slots=True)
class Day:
    """One row of the days pane: a date (None for undated digests) and its papers, in digest order."""

    date: date | None
    paper_ids: list[str] = field(default_factory=list)


class Store:
    """Loaded digests and papers. Not thread-safe: load in a worker, then hand the store over."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, cache: ParseCache | None = None) -> None:
        self.max_bytes = max_bytes
        self.cache = cache  # files are read through it when given (see tui.cache)
        self.papers: dict[str, Paper] = {}
        self._digests: dict[Path, Digest] = {}  # by absolute path, in load order
        self._days: list[Day] | None = None
        self._all: list[str] | None = None

    # -- loading ---------------------------------------------------------------------------

    def load(
        self,
        specs: Iterable[str | os.PathLike[str]],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Digest]:
        """Load files, folders and globs; returns the digests read (failed ones included)."""
        with gc_paused():  # see tui.gcpause: the store is built in bulk and lives on
            loaded = self._load(specs, progress)
            settle()
            return loaded

    def add_all(self, results: Iterable[ParseResult]) -> list[Digest]:
        """Merge many parsed digests (e.g. from `tui.preload`), with the collector paused."""
        with gc_paused():
            out = [self._add(r) if r.is_digest else self._keep(r.digest) for r in results]
            self.unify_titles()
            settle()
            return out

    def _keep(self, digest: Digest) -> Digest:
        """Record a file that yielded nothing (failed or skipped), so `check` can report it."""
        self._digests[digest.path.absolute()] = digest
        return digest

    def _load(self, specs: Iterable[str | os.PathLike[str]], progress: Callable[[int, int], None] | None) -> list[Digest]:
        if self.cache is not None:
            # Through the cache, with files to parse dealt to a worker per core (tui.preload).
            from tui.preload import Preload

            results = Preload(specs, self.max_bytes, cache=self.cache).results(progress=progress)
            loaded = [r.digest if not (r.papers or r.digest.format is not None) else self._add(r) for r in results]
            for digest in loaded:
                self._digests.setdefault(digest.path.absolute(), digest)
            self.unify_titles()
            return loaded
        candidates, problems = discover(specs)
        loaded = [p.digest for p in problems]
        for digest in loaded:
            self._digests[digest.path.absolute()] = digest
        for i, candidate in enumerate(candidates):
            loaded.append(self._add(read_digest(candidate, self.max_bytes)))
            if progress is not None:
                progress(i + 1, len(candidates))
        self.unify_titles()
        return loaded

    def add(self, result: ParseResult) -> Digest:
        """Merge one parsed digest into the store (replacing an earlier load of the same file)."""
        digest = self._add(result)
        self.unify_titles()
        return digest

    def _add(self, result: ParseResult) -> Digest:
        digest = result.digest
        self.remove_path(digest.path)
        papers = self.papers
        ids: list[str] = []
        seen: set[str] = set()
        for paper in result.papers:
            if paper.id in seen:  # the same paper twice in one digest: keep one
                continue
            seen.add(paper.id)
            ids.append(paper.id)
            paper.links = keep_safe_links(paper.links, paper.id, digest.warn)  # only http(s) (tui.links)
            known = papers.get(paper.id)
            if known is None:
                paper.digests = [digest]
                papers[paper.id] = paper
            else:
                if known.title != paper.title and known.digests and normalise_title(known.title) != normalise_title(paper.title):
                    other = known.digests[0].path
                    digest.warn(f"paper {paper.id}: title {_short(paper.title)} in {path_text(digest.path.name)} "
                                f"differs from {_short(known.title)} in {path_text(other)}; the first is kept")
                _merge(known, paper)
                known.digests.append(digest)
        digest.paper_ids = ids
        self._digests[digest.path.absolute()] = digest
        self._invalidate()
        return digest

    def remove_path(self, path: Path) -> bool:
        """Forget a digest file (deleted or about to be re-read); papers only it held go too."""
        digest = self._digests.pop(Path(path).absolute(), None)
        if digest is None:
            return False
        for pid in digest.paper_ids:
            paper = self.papers.get(pid)
            if paper is None:
                continue
            paper.digests = [d for d in paper.digests if d is not digest]
            if not paper.digests:
                del self.papers[pid]
        self._invalidate()
        return True

    def unify_titles(self) -> int:
        """Make a paper known only by title (HF pages carry no arXiv id) and the same paper known by
        its arXiv id one paper. Costs nothing unless the store holds both kinds of id."""
        papers = self.papers
        if not any(pid.startswith("title:") for pid in papers):
            return 0
        merged = 0
        for pid, paper in list(papers.items()):
            if pid.startswith("title:"):
                continue
            twin = papers.get(title_id(paper.title))
            if twin is None:
                continue
            _merge(paper, twin)
            for digest in twin.digests:
                digest.paper_ids = list(dict.fromkeys(pid if i == twin.id else i for i in digest.paper_ids))
                if digest not in paper.digests:
                    paper.digests.append(digest)
            del papers[twin.id]
            merged += 1
        if merged:
            self._invalidate()
        return merged

    def reload(self, path: Path) -> Digest:
        """Re-read one file (used by the folder watcher)."""
        return self.add(read_digest(Candidate(path, False), self.max_bytes))

    def _invalidate(self) -> None:
        self._days = None
        self._all = None

    # -- views -----------------------------------------------------------------------------

    @property
    def digests(self) -> list[Digest]:
        """Every file read, failed ones included, in load order."""
        return list(self._digests.values())

    def get(self, paper_id: str) -> Paper | None:
        return self.papers.get(paper_id)

    def days(self) -> list[Day]:
        """Digest days, newest first (undated last); each with its papers in digest order."""
        if self._days is None:
            by_date: dict[date | None, Day] = {}
            for digest in sorted(self._dated_digests(), key=_digest_sort_key):
                day = by_date.setdefault(digest.date, Day(digest.date))
                day.paper_ids.extend(digest.paper_ids)
            for day in by_date.values():
                day.paper_ids = list(dict.fromkeys(day.paper_ids))
            self._days = sorted(by_date.values(), key=lambda d: (d.date is None, -(d.date.toordinal() if d.date else 0)))
        return self._days

    def all_ids(self) -> list[str]:
        """Every paper once, newest day first, digest order within a day: the stable 'All days' order."""
        if self._all is None:
            ordered: dict[str, None] = {}
            for day in self.days():
                ordered.update(dict.fromkeys(day.paper_ids))
            self._all = list(ordered)
        return self._all

    def ids_for(self, day: date | None | str) -> list[str]:
        """Paper ids of one day, or of all days when `day` is the string "all"."""
        if day == "all":
            return self.all_ids()
        for d in self.days():
            if d.date == day:
                return d.paper_ids
        return []

    def _dated_digests(self) -> list[Digest]:
        return [d for d in self._digests.values() if d.paper_ids]

    @property
    def counts(self) -> dict[str, int]:
        """Headline numbers for the CLI summary and the UI header."""
        return {
            "files": len(self.digests),
            "digests": sum(1 for d in self.digests if d.paper_ids),
            "failed": sum(1 for d in self.digests if d.failed),
            "papers": len(self.papers),
            "days": len(self.days()),
        }


def _digest_sort_key(digest: Digest) -> tuple[str, str]:
    return (str(digest.path.parent), digest.path.name)


def _short(title: str) -> str:
    return repr(title if len(title) <= 60 else title[:59] + "…")


def _merge(known: Paper, other: Paper) -> None:
    """Fill what the first appearance lacked; links accumulate; a full entry beats a replacement."""
    for name in _FILLABLE:
        if not getattr(known, name) and getattr(other, name):
            setattr(known, name, getattr(other, name))
    urls = set(known.links.values())
    for key, url in other.links.items():
        if url not in urls and key not in known.links:
            known.links[key] = url
            urls.add(url)
    if known.kind is Kind.REPLACED and other.kind is not Kind.REPLACED:
        known.kind = other.kind
