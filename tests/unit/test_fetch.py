"""`tui.fetch` against a local stand-in for Hugging Face and arXiv (never the internet)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, shared_path
from tests.fetch_server import FakeServices, Reply, file_reply, refused_url, running
from tui.config import FetchConfig
from tui.fetch import fetch, plan_days
from tui.fetch import runner as runner_module
from tui.fetch.folder import STATE_NAME, content_key
from tui.fetch.http import USER_AGENT, retry_after
from tui.fetch.runner import Outcome, make_client
from tui.loader import Candidate, read_digest
from tui.model import Format

FETCH = FIXTURES / "fetch"
HF_REAL = ("realdata", "hf_daily_papers_json")
RSS_REAL = ("realdata", "arxiv_feed_xml")


class FakeTime:
    """Injected sleep and clock: waits are recorded and advance the clock, nothing blocks."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with running() as s:
        yield s


def config_for(url: str, **changes: object) -> FetchConfig:
    base = FetchConfig(hf_base_url=url, arxiv_rss_base_url=url, arxiv_api_base_url=url, timeout=2.0, retries=2)
    return replace(base, **changes)  # type: ignore[arg-type]


def run(cfg: FetchConfig, folder: Path, clock: FakeTime | None = None, **kw: object) -> list[Outcome]:
    clock = clock or FakeTime()
    client = make_client(cfg, sleep=clock.sleep, clock=clock.clock)
    return fetch(cfg, folder, client=client, **kw)  # type: ignore[arg-type]


def visible(folder: Path) -> list[str]:
    """What the reader would see: the non-hidden files (temporary names are hidden)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def hf_route(day: str) -> str:
    return f"/api/daily_papers?date={day}"


# --- success -------------------------------------------------------------------------------

def test_hf_real_response_is_saved_byte_for_byte_and_reads_cleanly(services: FakeServices, tmp_path: Path) -> None:
    real = shared_path(*HF_REAL, "sotawhat_hf_daily_papers.json")
    services.add(hf_route("2026-06-12"), file_reply(real))
    out = run(config_for(services.url), tmp_path / "d", sources=["hf"], on=date(2026, 6, 12), today=date(2026, 6, 13))
    assert [(o.status, o.file, o.papers, o.http_status) for o in out] == [
        ("fetched", "hf-daily-2026-06-12.json", 30, 200)]
    saved = tmp_path / "d" / "hf-daily-2026-06-12.json"
    assert saved.read_bytes() == real.read_bytes()
    result = read_digest(Candidate(saved, True))
    assert result.digest.format is Format.HF_JSON and len(result.papers) == 30 and not result.digest.failed
    headers = services.requests(hf_route("2026-06-12"))[0]
    assert headers["user-agent"] == USER_AGENT and "papertray/0.1.0" in USER_AGENT


def test_hf_invented_day_and_gzip(services: FakeServices, tmp_path: Path) -> None:
    import gzip

    body = (FETCH / "hf-2026-11-27.json").read_bytes()
    services.add(hf_route("2026-11-27"), Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"}))
    out = run(config_for(services.url), tmp_path, sources=["hf"], on=date(2026, 11, 27), today=date(2026, 11, 30))
    assert out[0].status == "fetched" and out[0].papers == 1
    assert (tmp_path / "hf-daily-2026-11-27.json").read_bytes() == body
    assert services.requests(hf_route("2026-11-27"))[0]["accept-encoding"] == "gzip"


def test_arxiv_rss_real_feed_is_named_by_its_announcement_day(services: FakeServices, tmp_path: Path) -> None:
    real = shared_path(*RSS_REAL, "distill_rss_arxiv_cs_LG.xml")
    services.add("/rss/cs.LG", file_reply(real))
    out = run(config_for(services.url), tmp_path, sources=["arxiv"], today=date(2026, 4, 27))
    assert [(o.source, o.status, o.file, o.papers) for o in out] == [
        ("arxiv", "fetched", "arxiv-cs.LG-2026-04-27.xml", 3)]
    # Asking for another day: the RSS feed only has the latest announcement, so nothing is written.
    other = tmp_path / "other"
    out = run(config_for(services.url), other, sources=["arxiv"], on=date(2026, 4, 24), today=date(2026, 4, 27))
    assert out[0].status == "skipped" and "only the latest announcement (2026-04-27)" in out[0].message
    assert visible(other) == []


def test_several_categories_are_one_feed(services: FakeServices, tmp_path: Path) -> None:
    body = (FIXTURES / "arxiv_xml" / "minimal-rss.xml").read_bytes()
    services.add("/rss/cs.LG+cs.AI", Reply(200, body))
    out = run(config_for(services.url, categories=("cs.LG", "cs.AI")), tmp_path, sources=["arxiv"],
              today=date(2026, 11, 30))
    assert out[0].status == "fetched" and out[0].file.startswith("arxiv-cs.LG+cs.AI-")


def test_weekend_rss_with_no_items_is_nothing_new(services: FakeServices, tmp_path: Path) -> None:
    services.add("/rss/cs.LG", Reply(200, (FETCH / "rss-empty.xml").read_bytes()))
    out = run(config_for(services.url), tmp_path, sources=["arxiv"], today=date(2026, 11, 29))
    assert out[0].status == "empty" and not out[0].failed and "nothing written" in out[0].message
    assert visible(tmp_path) == []


def test_saved_query_is_paged_three_seconds_apart_and_merged(
        services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "QUERY_PAGE", 2)
    q = "abs:diffusion"
    services.add("/api/query?search_query=abs%3Adiffusion&sortBy=submittedDate&sortOrder=descending&start=0&max_results=2",
                 Reply(200, (FETCH / "query-page1.xml").read_bytes()))
    services.add("/api/query?search_query=abs%3Adiffusion&sortBy=submittedDate&sortOrder=descending&start=2&max_results=2",
                 Reply(200, (FETCH / "query-page2.xml").read_bytes()))
    clock = FakeTime()
    out = run(config_for(services.url, categories=(), queries=(q,), query_max_results=6), tmp_path, clock,
              sources=["arxiv"], today=date(2026, 11, 30))
    assert [(o.source, o.status, o.papers) for o in out] == [("arxiv-query", "fetched", 3)]
    assert len(services.log) == 2  # the second page was short: no third request
    assert clock.sleeps == [3.0]  # arXiv asks for 3 s between API requests
    result = read_digest(Candidate(tmp_path / out[0].file, True))
    assert [p.id for p in result.papers] == ["2611.10001", "2611.10002", "2611.10003"]
    assert out[0].file.startswith("arxiv-query-abs-diffusion-") and out[0].file.endswith("-2026-11-30.xml")


def test_since_fetches_every_day_and_skips_days_with_nothing(services: FakeServices, tmp_path: Path) -> None:
    for day in ("2026-11-26", "2026-11-27", "2026-11-28"):
        services.add(hf_route(day), file_reply(FETCH / f"hf-{day}.json"))
    services.add(hf_route("2026-11-29"), Reply(200, b"[]"))
    progress: list[tuple[int, int]] = []
    out = run(config_for(services.url), tmp_path, sources=["hf"], since=date(2026, 11, 26), today=date(2026, 11, 29),
              on_progress=lambda done, total, _label: progress.append((done, total)))
    assert [(o.day.isoformat(), o.status, o.papers) for o in out if o.day] == [
        ("2026-11-26", "fetched", 2), ("2026-11-27", "fetched", 1), ("2026-11-28", "fetched", 3),
        ("2026-11-29", "empty", 0)]
    assert visible(tmp_path) == ["hf-daily-2026-11-26.json", "hf-daily-2026-11-27.json", "hf-daily-2026-11-28.json"]
    assert progress[-1] == (4, 4)


def test_a_day_answered_with_another_days_list_is_skipped(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-29"), file_reply(FETCH / "hf-2026-11-28.json"))
    out = run(config_for(services.url), tmp_path, sources=["hf"], on=date(2026, 11, 29), today=date(2026, 11, 29))
    assert out[0].status == "skipped" and "2026-11-28" in out[0].message and visible(tmp_path) == []


# --- idempotence -----------------------------------------------------------------------------

def test_304_not_modified_rewrites_nothing(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-28"), file_reply(FETCH / "hf-2026-11-28.json", etag='"v1"'))
    cfg = config_for(services.url)
    first = run(cfg, tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 30))
    assert first[0].status == "fetched"
    saved = tmp_path / "hf-daily-2026-11-28.json"
    before = saved.stat()
    second = run(cfg, tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 30))
    assert [(o.status, o.http_status) for o in second] == [("unchanged", 304)]
    assert services.requests(hf_route("2026-11-28"))[1]["if-none-match"] == '"v1"'
    after = saved.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_second_run_without_validators_writes_nothing(services: FakeServices, tmp_path: Path) -> None:
    """No ETag or Last-Modified from the server: the content hash tells the day is unchanged."""
    services.add(hf_route("2026-11-27"), Reply(200, (FETCH / "hf-2026-11-27.json").read_bytes()))
    services.add("/rss/cs.LG", Reply(200, (FIXTURES / "arxiv_xml" / "minimal-rss.xml").read_bytes()))
    cfg = config_for(services.url)
    run(cfg, tmp_path, today=date(2026, 11, 27))
    stamps = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert len(visible(tmp_path)) == 2
    again = run(cfg, tmp_path, today=date(2026, 11, 27))
    assert {o.status for o in again} == {"unchanged"}
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == stamps


def test_a_changed_day_is_rewritten(services: FakeServices, tmp_path: Path) -> None:
    old = (FETCH / "hf-2026-11-28.json").read_bytes()
    services.add(hf_route("2026-11-28"), Reply(200, old), Reply(200, old.replace(b'"upvotes": 1', b'"upvotes": 9')))
    cfg = config_for(services.url)
    run(cfg, tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    out = run(cfg, tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    assert out[0].status == "updated"
    assert b'"upvotes": 9' in (tmp_path / "hf-daily-2026-11-28.json").read_bytes()


def test_content_key_ignores_feed_build_stamps_only() -> None:
    a = b"<rss><channel><lastBuildDate>Mon</lastBuildDate><item><title>x</title></item></channel></rss>"
    b = a.replace(b"Mon", b"Tue")
    assert content_key(a) == content_key(b)
    assert content_key(a) != content_key(a.replace(b"<title>x", b"<title>y"))


# --- politeness: retries and giving up ----------------------------------------------------------

def test_429_with_retry_after_then_success(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-26"),
                 Reply(429, (FETCH / "rate-limit.json").read_bytes(), {"Retry-After": "7"}),
                 file_reply(FETCH / "hf-2026-11-26.json"))
    clock = FakeTime()
    out = run(config_for(services.url), tmp_path, clock, sources=["hf"], on=date(2026, 11, 26), today=date(2026, 11, 26))
    assert out[0].status == "fetched"
    assert clock.sleeps == [7.0]  # exactly what the server asked for; the 3 s gap had passed by then
    assert len(services.requests(hf_route("2026-11-26"))) == 2


def test_500_retried_with_backoff_then_given_up(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-25"), Reply(500, b"Internal Server Error"))
    clock = FakeTime()
    out = run(config_for(services.url, retries=3), tmp_path / "d", clock, sources=["hf"],
              since=date(2026, 11, 25), today=date(2026, 11, 26))
    assert [(o.status, o.http_status) for o in out] == [("failed", 500)]  # the source stops: day 26 not tried
    assert "HTTP 500" in out[0].message and "gave up after 4 tries" in out[0].message
    assert len(services.requests(hf_route("2026-11-25"))) == 4
    assert services.requests(hf_route("2026-11-26")) == []
    # Backoff 2, 4, 8 s; the first wait is stretched to the host's 3 s gap (one server plays all hosts).
    assert clock.sleeps == [3.0, 4.0, 8.0]
    assert not (tmp_path / "d").exists()  # nothing written, not even the folder


def test_404_is_not_retried(services: FakeServices, tmp_path: Path) -> None:
    clock = FakeTime()
    out = run(config_for(services.url), tmp_path, clock, sources=["hf"], on=date(2026, 11, 25), today=date(2026, 11, 26))
    assert [(o.status, o.http_status) for o in out] == [("failed", 404)] and clock.sleeps == []


def test_retry_after_longer_than_the_cap_gives_up_at_once(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-26"), Reply(503, b"busy", {"Retry-After": "3600"}))
    clock = FakeTime()
    out = run(config_for(services.url), tmp_path, clock, sources=["hf"], on=date(2026, 11, 26), today=date(2026, 11, 26))
    assert out[0].status == "failed" and "asks to wait 3600 s" in out[0].message and clock.sleeps == []


def test_retry_after_http_date() -> None:
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None and retry_after(None) is None


# --- answers that are not digests: reported, written nowhere -------------------------------------

@pytest.mark.parametrize(("reply", "expect"), [
    (Reply(200, (FETCH / "error-page.html").read_bytes(), {"Content-Type": "text/html"}),
     "HTTP 200: not a digest: expected Hugging Face daily papers JSON, got an HTML page"),
    (Reply(200, (FETCH / "rate-limit.json").read_bytes()), "HTTP 200: not a digest: the response is an error object"),
    (Reply(200, b""), "HTTP 200: not a digest: the answer is empty"),
    # No Content-Length: the cut cannot be seen on the wire, the parser sees the broken JSON.
    (Reply(200, (FETCH / "hf-2026-11-28.json").read_bytes()[:900], no_length=True), "invalid JSON"),
])
def test_not_a_digest_is_reported_with_the_status_and_written_nowhere(
        services: FakeServices, tmp_path: Path, reply: Reply, expect: str) -> None:
    services.add(hf_route("2026-11-28"), reply)
    out = run(config_for(services.url), tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    assert out[0].status == "failed" and out[0].http_status == 200 and expect in out[0].message
    assert "nothing written" in out[0].message
    assert list(tmp_path.iterdir()) == []


def test_an_empty_list_is_nothing_new_not_a_file(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-30"), Reply(200, b"[]"))
    out = run(config_for(services.url), tmp_path, sources=["hf"], today=date(2026, 11, 30))
    assert [(o.status, o.http_status, o.failed) for o in out] == [("empty", 200, False)]
    assert "no papers" in out[0].message and list(tmp_path.iterdir()) == []


def test_a_body_cut_short_is_retried_then_refused_and_leaves_no_file(services: FakeServices, tmp_path: Path) -> None:
    body = (FETCH / "hf-2026-11-28.json").read_bytes()
    services.add(hf_route("2026-11-28"), Reply(200, body, cut=len(body) // 2))
    out = run(config_for(services.url), tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    assert out[0].status == "failed" and "cut short" in out[0].message
    assert len(services.requests(hf_route("2026-11-28"))) == 3  # 1 + 2 retries
    assert list(tmp_path.iterdir()) == []


def test_a_cut_then_a_whole_answer_succeeds(services: FakeServices, tmp_path: Path) -> None:
    body = (FETCH / "hf-2026-11-28.json").read_bytes()
    services.add(hf_route("2026-11-28"), Reply(200, body, cut=100), Reply(200, body))
    out = run(config_for(services.url), tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    assert out[0].status == "fetched" and (tmp_path / "hf-daily-2026-11-28.json").read_bytes() == body


def test_a_bad_answer_never_replaces_a_good_file(services: FakeServices, tmp_path: Path) -> None:
    good = (FETCH / "hf-2026-11-28.json").read_bytes()
    services.add(hf_route("2026-11-28"), Reply(200, good), Reply(200, b"<html>oops</html>"))
    cfg = config_for(services.url)
    run(cfg, tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    out = run(cfg, tmp_path, sources=["hf"], on=date(2026, 11, 28), today=date(2026, 11, 28))
    assert out[0].status == "failed"
    assert (tmp_path / "hf-daily-2026-11-28.json").read_bytes() == good
    assert visible(tmp_path) == ["hf-daily-2026-11-28.json"]


# --- the network failing --------------------------------------------------------------------

def test_slow_server_past_the_timeout(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-28"), Reply(200, b"[]", delay=1.5))
    out = run(config_for(services.url, timeout=0.3, retries=1), tmp_path, sources=["hf"],
              on=date(2026, 11, 28), today=date(2026, 11, 28))
    assert out[0].status == "failed" and "timed out" in out[0].message and "gave up after 2 tries" in out[0].message
    assert list(tmp_path.iterdir()) == []


def test_connection_refused_is_one_line_per_source_and_not_retried(tmp_path: Path) -> None:
    clock = FakeTime()
    out = run(config_for(refused_url(), queries=("abs:x",)), tmp_path / "d", clock, since=date(2026, 11, 20),
              today=date(2026, 11, 28))
    assert [(o.source, o.status) for o in out] == [("hf", "failed"), ("arxiv", "failed")]
    assert all("connection refused" in o.message for o in out)
    assert "hf 2026-11-20: failed (127.0.0.1:" in out[0].line()
    assert clock.sleeps == [3.0]  # only the gap between two requests to one host: no retries
    assert not (tmp_path / "d").exists()


def test_cancel_stops_the_run(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-26"), file_reply(FETCH / "hf-2026-11-26.json"))
    cancel = threading.Event()
    cfg = config_for(services.url)
    client = make_client(cfg, cancel=cancel)
    out = fetch(cfg, tmp_path, client=client, sources=["hf"], since=date(2026, 11, 26), today=date(2026, 11, 28),
                on_outcome=lambda o: cancel.set())
    assert [o.status for o in out] == ["fetched", "cancelled"]
    assert visible(tmp_path) == ["hf-daily-2026-11-26.json"]


def test_state_file_and_lock_are_hidden(services: FakeServices, tmp_path: Path) -> None:
    services.add(hf_route("2026-11-26"), file_reply(FETCH / "hf-2026-11-26.json", etag='"e"'))
    run(config_for(services.url), tmp_path, sources=["hf"], on=date(2026, 11, 26), today=date(2026, 11, 26))
    state = json.loads((tmp_path / STATE_NAME).read_text())
    assert state["files"]["hf-daily-2026-11-26.json"]["etag"] == '"e"'
    assert sorted(os.listdir(tmp_path)) == sorted([STATE_NAME, "hf-daily-2026-11-26.json"])


# --- days -------------------------------------------------------------------------------------

def test_plan_days() -> None:
    today = date(2026, 11, 30)
    assert plan_days(None, None, today) == [today]
    assert plan_days(date(2026, 11, 2), None, today) == [date(2026, 11, 2)]
    assert plan_days(None, date(2026, 11, 28), today) == [date(2026, 11, 28), date(2026, 11, 29), today]
    with pytest.raises(ValueError, match="future"):
        plan_days(date(2026, 12, 1), None, today)
    with pytest.raises(ValueError, match="at most 62 days"):
        plan_days(None, date(2026, 1, 1), today)


def test_a_bad_second_page_writes_nothing_and_an_api_error_is_reported(
        services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "QUERY_PAGE", 2)
    base = "/api/query?search_query=abs%3Adiffusion&sortBy=submittedDate&sortOrder=descending"
    services.add(f"{base}&start=0&max_results=2", Reply(200, (FETCH / "query-page1.xml").read_bytes()))
    services.add(f"{base}&start=2&max_results=2", Reply(200, b"<html><body>Bad gateway</body></html>"))
    cfg = config_for(services.url, categories=(), queries=("abs:diffusion",), query_max_results=4)
    out = run(cfg, tmp_path, sources=["arxiv"], today=date(2026, 11, 30))
    assert [(o.status, o.http_status) for o in out] == [("failed", 200)] and "got an HTML page" in out[0].message
    assert list(tmp_path.iterdir()) == []
    # An empty page after full ones is the end of the results, not a failure.
    services.add(f"{base}&start=2&max_results=2", Reply(200, (FETCH / "query-empty.xml").read_bytes()))
    out = run(cfg, tmp_path, sources=["arxiv"], today=date(2026, 11, 30))
    assert [(o.status, o.papers) for o in out] == [("fetched", 2)]
    # The API's own error feed is reported with its message.
    services.add(f"{base}&start=0&max_results=2", Reply(200, (FIXTURES / "arxiv_xml" / "api-error.xml").read_bytes()))
    out = run(cfg, tmp_path / "e", sources=["arxiv"], today=date(2026, 11, 30))
    assert out[0].status == "failed" and "arXiv API error: incorrect id format" in out[0].message


def test_rss_conditional_get_uses_the_last_file_from_that_feed(services: FakeServices, tmp_path: Path) -> None:
    body = FIXTURES / "arxiv_xml" / "minimal-rss.xml"
    services.add("/rss/cs.LG", file_reply(body, last_modified="Wed, 18 Nov 2026 05:00:00 GMT"))
    cfg = config_for(services.url)
    first = run(cfg, tmp_path, sources=["arxiv"], today=date(2026, 11, 18))
    assert first[0].status == "fetched"
    second = run(cfg, tmp_path, sources=["arxiv"], today=date(2026, 11, 18))
    assert [(o.status, o.http_status, o.file) for o in second] == [("unchanged", 304, first[0].file)]
    assert services.requests("/rss/cs.LG")[1]["if-modified-since"] == "Wed, 18 Nov 2026 05:00:00 GMT"


@pytest.mark.parametrize(("name", "day", "papers"), [
    ("sotawhat_hf_daily_papers.json", "2026-06-12", 30),
    ("personalnewsfeed_hf_papers.json", "2026-07-31", 30),
    ("aiweeklyradar_huggingface_papers.json", "2026-07-13", 25),
    ("allnewsai_hf_daily_papers.json", "2026-07-31", 5),
    ("newsassistant_hf_daily_papers.json", "2026-08-03", 3),
])
def test_every_real_hf_response_is_accepted(services: FakeServices, tmp_path: Path, name: str, day: str,
                                            papers: int) -> None:
    real = shared_path(*HF_REAL, name)
    services.add(hf_route(day), file_reply(real))
    out = run(config_for(services.url), tmp_path, sources=["hf"], on=date.fromisoformat(day),
              today=date.fromisoformat(day))
    assert [(o.status, o.papers) for o in out] == [("fetched", papers)]
    assert (tmp_path / f"hf-daily-{day}.json").read_bytes() == real.read_bytes()


@pytest.mark.parametrize("cat", ["cs.AI", "cs.CL", "cs.LG"])
def test_every_real_rss_feed_is_accepted(services: FakeServices, tmp_path: Path, cat: str) -> None:
    real = shared_path(*RSS_REAL, f"distill_rss_arxiv_{cat.replace('.', '_')}.xml")
    services.add(f"/rss/{cat}", file_reply(real))
    out = run(config_for(services.url, categories=(cat,)), tmp_path, sources=["arxiv"], today=date(2026, 4, 27))
    assert [(o.status, o.file, o.papers) for o in out] == [("fetched", f"arxiv-{cat}-2026-04-27.xml", 3)]


def test_a_real_api_feed_as_a_saved_query(services: FakeServices, tmp_path: Path) -> None:
    real = shared_path(*RSS_REAL, "brevio_api_cs_LG_AI.xml")
    services.add("/api/query?search_query=cat%3Acs.LG+OR+cat%3Acs.AI&sortBy=submittedDate&sortOrder=descending"
                 "&start=0&max_results=20", file_reply(real))
    cfg = config_for(services.url, categories=(), queries=("cat:cs.LG OR cat:cs.AI",), query_max_results=20)
    out = run(cfg, tmp_path, sources=["arxiv"], today=date(2026, 4, 30))
    assert [(o.source, o.status, o.papers) for o in out] == [("arxiv-query", "fetched", 20)]
    assert len(services.log) == 1 and (tmp_path / out[0].file).read_bytes() == real.read_bytes()
    again = run(cfg, tmp_path, sources=["arxiv"], today=date(2026, 4, 30))
    assert again[0].status == "unchanged"
