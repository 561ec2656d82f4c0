"""One fetch run: every configured source, one file at a time, each ending in an `Outcome`.

A source stops at its first failure (an offline machine or a failing server will not do better
a second later), so an offline run prints one line per source. Files already written by that
source stay: each one was complete and checked before it was renamed into place.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from tui.fetch.folder import Folder
from tui.fetch.http import Cancelled, Client, FetchError, Response
from tui.fetch.sources import (
    API_GAP,
    OTHER_GAP,
    QUERY_PAGE,
    Verdict,
    hf_name,
    hf_url,
    judge,
    merge_atom_pages,
    query_name,
    query_url,
    rss_name,
    rss_url,
)
from tui.model import Format

# Outcome statuses. `fetched`/`updated` wrote a file; the others wrote nothing.
WROTE = ("fetched", "updated")
QUIET = ("unchanged", "empty", "skipped")  # nothing new, and nothing wrong


@dataclass(slots=True)
class Outcome:
    """What happened to one file (or one attempt at a source); `fetch --json` prints these."""

    source: str  # "hf", "arxiv" or "arxiv-query"
    status: str  # fetched, updated, unchanged, empty, skipped, failed, cancelled
    url: str
    file: str | None = None
    day: date | None = None
    http_status: int | None = None
    papers: int = 0
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "cancelled")

    def to_json(self, folder: Folder) -> dict[str, Any]:
        return {"source": self.source, "status": self.status,
                "file": str(folder.path / self.file) if self.file else None,
                "date": self.day.isoformat() if self.day else None, "url": self.url,
                "http_status": self.http_status, "papers": self.papers, "message": self.message}

    def line(self) -> str:
        """One human line: `hf 2026-11-30: fetched hf-daily-2026-11-30.json (30 papers)`."""
        what = f"{self.source} {self.day.isoformat()}" if self.day else self.source
        if self.status in WROTE:
            return f"{what}: {self.status} {self.file} ({self.papers} papers)"
        host = urlsplit(self.url).netloc
        where = f" ({host})" if host and self.failed else ""
        return f"{what}: {self.status}{where}: {self.message}" if self.message else f"{what}: {self.status}"


Progress = Callable[[int, int, str], None]  # (done, total, what is being fetched)


def make_client(fetch_config: Any, sleep: Callable[[float], None] | None = None,
                cancel: Any = None, clock: Callable[[], float] | None = None) -> Client:
    """A client with the configured timeout and retries, and arXiv's 3 s gap for its API host."""
    gaps: dict[str, float] = {}
    for base, gap in ((fetch_config.arxiv_api_base_url, API_GAP), (fetch_config.hf_base_url, OTHER_GAP),
                      (fetch_config.arxiv_rss_base_url, OTHER_GAP)):
        host = urlsplit(base).netloc
        gaps[host] = max(gap, gaps.get(host, 0.0))
    return Client(timeout=fetch_config.timeout, retries=fetch_config.retries, sleep=sleep,
                  clock=clock or time.monotonic, min_interval=gaps, cancel=cancel)


class Run:
    """Fetch the chosen sources into `folder`; `outcomes` collects one entry per file."""

    def __init__(self, fetch_config: Any, folder: Folder, client: Client, *,
                 sources: Sequence[str], days: Sequence[date], latest: bool, today: date,
                 on_outcome: Callable[[Outcome], None] | None = None,
                 on_progress: Progress | None = None) -> None:
        self.cfg = fetch_config
        self.folder = folder
        self.client = client
        self.sources = list(sources)
        self.days = list(days)
        self.latest = latest  # no --date/--since: "whatever is newest" for the RSS and queries
        self.today = today
        self.outcomes: list[Outcome] = []
        self._on_outcome = on_outcome
        self._on_progress = on_progress
        self.total = self._count()
        self.done = 0
        self._label = ""

    def _count(self) -> int:
        total = 0
        if "hf" in self.sources:
            total += len(self.days)
        if "arxiv" in self.sources:
            total += (1 if self.cfg.categories else 0) + (len(self.cfg.queries) if self._queries_apply() else 0)
        return total

    def _queries_apply(self) -> bool:
        """Saved queries give the newest results, so they run for today, not for past days."""
        return self.latest or self.today in self.days

    def _report(self, outcome: Outcome) -> Outcome:
        self.outcomes.append(outcome)
        self.done += 1
        if self._on_outcome:
            self._on_outcome(outcome)
        self._tick()
        return outcome

    def _tick(self, label: str | None = None) -> None:
        """Report progress: `label` names what is being fetched now (kept until the next one)."""
        if label is not None:
            self._label = label
        if self._on_progress:
            self._on_progress(self.done, self.total, self._label)

    def run(self) -> list[Outcome]:
        """Every source in turn; Cancelled ends the run with a `cancelled` outcome."""
        with self.folder.locked():
            try:
                if "hf" in self.sources:
                    self._hf()
                if "arxiv" in self.sources:
                    self._arxiv()
            except Cancelled:
                self._report(Outcome("fetch", "cancelled", "", message="stopped by the user"))
        return self.outcomes

    # -- sources ------------------------------------------------------------------------

    def _hf(self) -> None:
        for day in self.days:
            url, name = hf_url(self.cfg.hf_base_url, day), hf_name(day)
            self._tick(name)
            outcome = self._one("hf", url, name, day, Format.HF_JSON)
            if outcome.failed:
                return

    def _arxiv(self) -> None:
        if not self.cfg.categories and not self.cfg.queries:
            self._report(Outcome("arxiv", "failed", "", message="no [fetch] categories or queries configured"))
            return
        if self.cfg.categories:
            url = rss_url(self.cfg.arxiv_rss_base_url, self.cfg.categories)
            self._tick("arxiv " + "+".join(self.cfg.categories))
            if self._rss(url).failed:
                return
        if self._queries_apply():
            for query in self.cfg.queries:
                self._tick(f"arxiv query {query}")
                if self._query(query).failed:
                    return

    def _one(self, source: str, url: str, name: str, day: date, fmt: Format) -> Outcome:
        """A single-request file whose name is known before asking (the HF days)."""
        try:
            answer = self.client.get(url, self.folder.validators(name))
        except FetchError as exc:
            return self._report(Outcome(source, "failed", url, None, day, exc.status, message=exc.message))
        if answer.status == 304:
            self.folder.remember(name, answer.etag, answer.last_modified)
            return self._report(Outcome(source, "unchanged", url, name, day, 304, message="not modified"))
        verdict = judge(answer.body, name, fmt)
        if verdict.problem is None and not verdict.empty and not _covers(verdict, day):
            return self._report(Outcome(
                source, "skipped", url, None, day, answer.status,
                message=f"the answer lists {verdict.day}, not {day.isoformat()}; nothing published for that day yet"))
        return self._store(source, answer, verdict, name, day)

    def _rss(self, url: str) -> Outcome:
        """The RSS feed holds the latest announcement day only; its name comes from its date."""
        known = sorted(n for n, e in self.folder.state.items() if e.get("url") == url)
        headers = self.folder.validators(known[-1]) if known else {}
        try:
            answer = self.client.get(url, headers)
        except FetchError as exc:
            return self._report(Outcome("arxiv", "failed", url, None, None, exc.status, message=exc.message))
        if answer.status == 304 and known:
            day = _day_in(known[-1])
            if not self._wanted(day):
                return self._report(Outcome("arxiv", "skipped", url, None, day, 304, message=self._outside(day)))
            return self._report(Outcome("arxiv", "unchanged", url, known[-1], day, 304, message="not modified"))
        if answer.status == 304:  # we sent no validators: a server that answers 304 anyway is broken
            return self._report(Outcome("arxiv", "failed", url, None, None, 304,
                                        message="HTTP 304 to a request without validators; nothing written"))
        verdict = judge(answer.body, "arxiv-feed.xml", Format.ARXIV_RSS)
        day = verdict.day or self.today
        if verdict.problem is None and not verdict.empty and not self._wanted(day):
            return self._report(Outcome("arxiv", "skipped", url, None, day, answer.status, message=self._outside(day)))
        return self._store("arxiv", answer, verdict, rss_name(self.cfg.categories, day), day)

    def _query(self, query: str) -> Outcome:
        """A saved arXiv API search, newest first, in pages 3 s apart, merged into one file."""
        pages: list[bytes] = []
        first: Response | None = None
        size = min(QUERY_PAGE, self.cfg.query_max_results)
        start = 0
        while start < self.cfg.query_max_results:
            url = query_url(self.cfg.arxiv_api_base_url, query, start,
                            min(size, self.cfg.query_max_results - start))
            try:
                answer = self.client.get(url)
            except FetchError as exc:
                return self._report(Outcome("arxiv-query", "failed", url, None, self.today, exc.status,
                                            message=f"{query!r}: {exc.message}"))
            first = first or answer
            verdict = judge(answer.body, "query.xml", Format.ARXIV_ATOM)
            if verdict.empty and pages:
                break  # past the last result: the earlier pages are the whole answer
            if verdict.problem or verdict.empty:  # a bad page anywhere: nothing is written
                return self._store("arxiv-query", answer, verdict, query_name(query, self.today), self.today)
            pages.append(answer.body)
            if verdict.papers < size:
                break
            start += size
        assert first is not None
        name = query_name(query, self.today)
        merged = merge_atom_pages(pages)
        body = Response(first.url, first.status, merged, {})
        return self._store("arxiv-query", body, judge(merged, name, Format.ARXIV_ATOM), name, self.today)

    # -- shared -------------------------------------------------------------------------

    def _store(self, source: str, answer: Response, verdict: Verdict, name: str, day: date) -> Outcome:
        """Write a good answer (if it differs from what is there); refuse anything else."""
        if verdict.problem:
            return self._report(Outcome(source, "failed", answer.url, None, day, answer.status,
                                        message=f"HTTP {answer.status}: {verdict.problem}; nothing written"))
        if verdict.empty:
            return self._report(Outcome(source, "empty", answer.url, None, day, answer.status,
                                        message=f"HTTP {answer.status}: no papers (not published yet?); nothing written"))
        existed = (self.folder.path / name).exists()
        if self.folder.unchanged(name, answer.body):
            self.folder.remember(name, answer.etag, answer.last_modified, answer.body, answer.url)
            return self._report(Outcome(source, "unchanged", answer.url, name, day, answer.status,
                                        verdict.papers, "same content as the file on disk"))
        try:
            self.folder.save(name, answer.body, answer.etag, answer.last_modified, answer.url)
        except OSError as exc:
            return self._report(Outcome(source, "failed", answer.url, None, day, answer.status,
                                        message=f"cannot write {name}: {exc.strerror or exc}"))
        return self._report(Outcome(source, "updated" if existed else "fetched", answer.url, name, day,
                                    answer.status, verdict.papers))

    def _wanted(self, day: date | None) -> bool:
        return self.latest or day in self.days

    def _outside(self, day: date | None) -> str:
        return (f"the arXiv RSS feed holds only the latest announcement ({day}), "
                "not one of the requested days")


def _covers(verdict: Verdict, day: date) -> bool:
    """An HF answer is for `day` when its days span it (or it carries no day at all)."""
    if verdict.result is None or verdict.result.digest.date is None:
        return True
    last = verdict.result.digest.date
    return (verdict.result.digest.date_start or last) <= day <= last


def _day_in(name: str) -> date | None:
    try:
        return date.fromisoformat(name[-15:-4])
    except ValueError:
        return None
