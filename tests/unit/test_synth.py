"""The synthetic digest generator: deterministic, the right size, and readable by our parsers.

The round-trip tests are the point: a generated file must parse to exactly the papers the
generator says it holds, so benchmarks built on it measure the real parsing path.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from benchmarks import synth
from benchmarks.synth import FORMATS, Day, Entry, build_corpus, render

START = date(2025, 3, 3)  # a Monday: the e-mail parser dates a mailing by its weekday


def _norm(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes_in_every_format(tmp_path: Path) -> None:
    for fmt in FORMATS:
        a = synth.generate(tmp_path / "a" / fmt, fmt, days=3, papers_per_day=12, seed=7)
        b = synth.generate(tmp_path / "b" / fmt, fmt, days=3, papers_per_day=12, seed=7)
        assert [p.name for p in a] == [p.name for p in b]
        assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b], fmt
    other = synth.generate(tmp_path / "c", "hf-text", days=3, papers_per_day=12, seed=8)
    assert other[0].read_bytes() != (tmp_path / "a" / "hf-text" / other[0].name).read_bytes()


def test_generate_writes_one_dated_file_per_day(tmp_path: Path) -> None:
    paths = synth.generate(tmp_path, "arxiv-atom", days=4, papers_per_day=3, start=date(2025, 12, 30))
    assert [p.name for p in paths] == ["2025-12-30.xml", "2025-12-31.xml", "2026-01-01.xml", "2026-01-02.xml"]
    mixed = synth.generate_mixed(tmp_path / "m", days=6, papers_per_day=3, seed=1)
    assert [p.suffix for p in mixed] == [".txt", ".json", ".txt", ".xml", ".xml", ".txt"]
    assert mixed[1].read_text(encoding="utf-8").startswith('[{"paper":')
    assert "\\\\\narXiv:" in mixed[2].read_text(encoding="utf-8")
    assert "<rss " in mixed[4].read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        synth.generate(tmp_path, "bibtex", days=1, papers_per_day=1)


# -------------------------------------------------------------------------------- corpus shape


def test_ids_unique_and_well_formed_with_a_few_repeats() -> None:
    corpus = build_corpus(days=40, papers_per_day=50, seed=3)
    first_seen: dict[str, int] = {}
    papers_by_id: dict[str, object] = {}
    repeats = 0
    for i, day in enumerate(corpus):
        ids = [e.paper.id for e in day.entries]
        assert len(ids) == 50 and len(set(ids)) == 50  # never twice in one digest
        for e in day.entries:
            assert re.fullmatch(r"\d{4}\.\d{5}", e.paper.id)
            assert papers_by_id.setdefault(e.paper.id, e.paper) is e.paper  # one id, one paper
            if e.repeat:
                repeats += 1
                assert first_seen[e.paper.id] < i and e.kind == "replaced"
            else:
                assert e.paper.id not in first_seen
                first_seen[e.paper.id] = i
    assert 30 <= repeats <= 50  # 2% of 39 days x 50
    titles = [p.title for p in papers_by_id.values()]  # type: ignore[attr-defined]
    assert len(set(titles)) == len(titles)
    with_github = sum("https://github.com/" in p.abstract for p in papers_by_id.values())  # type: ignore[attr-defined]
    assert 0.05 * len(titles) < with_github < 0.2 * len(titles)


def test_repeat_fraction_is_controllable() -> None:
    none = build_corpus(days=10, papers_per_day=20, seed=1, repeat_fraction=0.0)
    many = build_corpus(days=10, papers_per_day=20, seed=1, repeat_fraction=0.5)
    assert sum(e.repeat for d in none for e in d.entries) == 0
    assert sum(e.repeat for d in many for e in d.entries) == 9 * 10


def test_year_counts_spread_exactly() -> None:
    counts = synth.year_counts(30000)
    assert len(counts) == 365 and sum(counts) == 30000 and set(counts) == {82, 83}


def test_hf_text_size_extrapolates_to_about_40_mb() -> None:
    """1/20 of a year (1,500 papers) measured in memory, scaled to 30k papers."""
    corpus = build_corpus(days=20, papers_per_day=75, seed=1)
    size = sum(len(render("hf-text", day).encode("utf-8")) for day in corpus)
    assert 35e6 <= size * 20 <= 45e6, size * 20
    per_paper = size / 1500
    assert 1150 <= per_paper <= 1500


def test_email_shape_matches_the_real_layout() -> None:
    corpus = build_corpus(days=1, papers_per_day=40, seed=2, start=START)
    text = render("arxiv-email", corpus[0])
    lines = text.split("\n")
    assert max(map(len, lines)) <= 79
    assert " received from  Thu 27 Feb 25 19:00:00 GMT  to  Fri 28 Feb 25 19:00:00 GMT" in lines
    assert [ln for ln in lines if ln.startswith("%")] == ["%-" * 39, "%%--" * 19 + "%%", "%%%---" * 13]
    kinds = Counter(e.kind for e in corpus[0].entries)
    assert text.count("(*cross-listing*)") == kinds["cross"] + sum(e.cross for e in corpus[0].entries)
    assert text.count("\nreplaced with revised version ") == kinds["replaced"]
    assert text.count("\\\\ ( https://arxiv.org/abs/") == 40


def test_hf_text_shape_matches_the_real_layout() -> None:
    corpus = build_corpus(days=1, papers_per_day=40, seed=2, start=date(2025, 10, 31))
    text = render("hf-text", corpus[0])
    blocks = text.split("\n\n")
    assert blocks[:6] == [
        "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
        "byAK and the research community", "Oct 31",
    ]
    bylines = [b for b in blocks if "\n·\n" in b]
    assert len(bylines) == sum(e.paper.hf_byline for e in corpus[0].entries)
    assert all(re.fullmatch(r"(  • \d+ authors|\S+ .+)\n·\n[A-Z][a-z]{2} \d{1,2}(, \d{4})?( \d+)?", b) for b in bylines)


def test_hostile_titles_cover_markup_escapes_and_controls() -> None:
    hostile = synth.hostile_titles()
    for needle in ("[bold red]x[/]", "[@click=app.quit]y[/]", "[link=file:///etc/passwd]z[/link]", "[$error]", "[A-Z]"):
        assert needle in hostile
    joined = "".join(hostile)
    for char in ("\x1b[31m", "\x1b]8;;http://x\x1b\\", "\x9b2J", "\x00", "\x07", "\u202e"):
        assert char in joined
    assert any(len(s) >= 500 and " " not in s for s in hostile)
    assert any(any(ord(c) > 0x1F000 for c in s) for s in hostile)  # emoji
    assert any(any(0x4E00 <= ord(c) <= 0x9FFF for c in s) for s in hostile)  # wide CJK


def test_cli_reports_files_papers_and_megabytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main([str(tmp_path), "--format", "arxiv-rss", "--days", "2", "--per-day", "5", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"2 files, 10 papers, \d+\.\d MB in ", out), out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-01-01.xml", "2025-01-02.xml"]


# -------------------------------------------------------------------------------- round trips


def _parse_text():  # noqa: ANN202
    """The dispatcher; skips only while a parser module does not exist yet (any other error fails)."""
    try:
        from tui.parsers import parse_text
    except ModuleNotFoundError as exc:  # pragma: no cover - only while a parser module is missing
        if not (exc.name or "").startswith("tui.parsers."):
            raise
        pytest.skip(f"parser not written yet: {exc.name}")
    return parse_text


_EXPECTED_KIND = {
    "arxiv-email": lambda e: "replaced" if e.kind == "replaced" else "cross-list" if e.kind == "cross" else "new",
    "arxiv-rss": lambda e: "replaced" if e.kind == "replaced" else "cross-list" if e.kind == "cross" else "new",
    "hf-text": lambda e: "new",
    "hf-json": lambda e: "new",
}


def _expected_day(fmt: str, day: Day) -> date:
    """The email parser dates a mailing by its announcement day (weekends go to Monday)."""
    if fmt == "arxiv-email":
        d = day.date
        while d.weekday() >= 5:
            d += timedelta(days=1)
        return d
    return day.date


def _check_paper(fmt: str, e: Entry, got: object) -> None:
    p = e.paper
    assert got.title == p.title  # type: ignore[attr-defined]
    if fmt == "arxiv-email" and e.kind == "replaced":
        assert got.abstract == ""  # type: ignore[attr-defined]
    else:
        assert _norm(got.abstract) == _norm(p.abstract)  # type: ignore[attr-defined]
    if fmt in _EXPECTED_KIND:
        assert got.kind.value == _EXPECTED_KIND[fmt](e)  # type: ignore[attr-defined]
    if fmt == "hf-text":
        assert got.published == (p.published.date() if p.hf_byline else None)  # type: ignore[attr-defined]
        if p.hf_byline and p.organization:
            assert (got.organization, got.author_count) == (p.organization[1], None)  # type: ignore[attr-defined]
        elif p.hf_byline:
            assert got.author_count == len(p.authors)  # type: ignore[attr-defined]
        if p.hf_byline and p.upvotes:
            assert got.upvotes == p.upvotes  # type: ignore[attr-defined]
        else:
            assert not got.upvotes  # type: ignore[attr-defined]
    else:
        assert got.authors == p.authors  # type: ignore[attr-defined]
        assert got.links.get("arxiv") == f"https://arxiv.org/abs/{p.id}"  # type: ignore[attr-defined]
    if fmt == "hf-json":
        assert got.upvotes == p.upvotes and got.num_comments == p.num_comments  # type: ignore[attr-defined]
        assert got.published == p.published.date()  # type: ignore[attr-defined]
        if p.github:
            assert got.links.get("github") == p.github  # type: ignore[attr-defined]
    if fmt in ("arxiv-atom", "arxiv-rss", "arxiv-email"):
        assert got.categories == p.categories  # type: ignore[attr-defined]
    if fmt in ("arxiv-atom", "arxiv-email") and p.comments:
        assert got.comments == p.comments  # type: ignore[attr-defined]
    if p.github and not (fmt == "arxiv-email" and e.kind == "replaced") and p.github in p.abstract:
        assert got.links.get("github") == p.github  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(fmt: str, tmp_path: Path) -> None:
    parse_text = _parse_text()
    # A week across New Year (Mon 29 Dec 2025 - Sun 4 Jan 2026): year inference and weekend mailings.
    corpus = build_corpus(days=7, papers_per_day=30, seed=11, start=date(2025, 12, 29), repeat_fraction=0.1)
    for day in corpus:
        path = tmp_path / synth.file_name(fmt, day)
        result = parse_text(render(fmt, day), path)
        digest = result.digest
        assert digest.format is not None and digest.format.value == fmt
        assert [d for d in digest.diagnostics] == [], (path.name, digest.diagnostics[:3])
        assert digest.date == _expected_day(fmt, day)
        got = result.papers
        assert len(got) == len(day.entries) == 30
        if fmt == "hf-text":
            from tui.model import title_id

            assert [p.id for p in got] == [title_id(e.paper.title) for e in day.entries]
        else:
            assert [p.id for p in got] == [e.paper.id for e in day.entries]
        for e, paper in zip(day.entries, got):
            _check_paper(fmt, e, paper)


def test_mixed_round_trip_counts(tmp_path: Path) -> None:
    parse_text = _parse_text()
    paths = synth.generate_mixed(tmp_path, days=5, papers_per_day=20, seed=4)
    corpus = build_corpus(days=5, papers_per_day=20, seed=4)
    for path, day, fmt in zip(paths, corpus, FORMATS):
        result = parse_text(path.read_text(encoding="utf-8"), path)
        assert result.digest.format.value == fmt  # type: ignore[union-attr]
        assert len(result.papers) == 20
        assert [p.title for p in result.papers] == [e.paper.title for e in day.entries]
