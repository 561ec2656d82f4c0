"""The saved Hugging Face Daily Papers page parser: real seeds, invented fixtures, fuzzing.

Seed assertions check titles by their opening words and length only, so no real text is
copied into the repo beyond a few words per paper.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, shared_path
from tui.model import Digest, Format, Kind, title_id
from tui.parsers import hf_text
from tui.parsers.hf_text import _organization, _parse, _Reader, parse, sniff

HF_FIXTURES = FIXTURES / "hf_text"
SAMPLE = Path(__file__).resolve().parents[2] / "tui" / "samples" / "hf-daily-2026-11-20.txt"


def _seed(name: str, tmp_path: Path, as_name: str | None = None):
    """Parse a real seed, optionally under a dated file name (the name drives year inference)."""
    src = shared_path("seeds", name)
    path = src
    if as_name is not None:
        path = tmp_path / as_name
        shutil.copyfile(src, path)
    text = path.read_text(encoding="utf-8")
    return text, parse(text, path, mtime=None)


def _fixture(name: str, as_name: str | None = None, mtime: float | None = None):
    text = (HF_FIXTURES / name).read_text(encoding="utf-8")
    return text, parse(text, Path(as_name or name), mtime=mtime)


def _ts(d: date) -> float:
    return datetime(d.year, d.month, d.day, 12).timestamp()


def _bylines(papers) -> int:
    return sum(1 for p in papers if p.author_count is not None or p.organization is not None)


def _title_is(paper, opening: str, length: int) -> None:
    assert paper.title.startswith(opening)
    assert len(paper.title) == length


# --- the four real seeds: the counts of FORMATS.md, and field values ---------------------------


@pytest.mark.parametrize(
    ("name", "papers", "bylines", "orgs", "page_day"),
    [
        ("000_ba169d13414646b2.txt", 19, 0, 0, None),
        ("001_27b1778105e54f78.txt", 90, 83, 1, (10, 31)),
        ("003_189af028c8290844.txt", 71, 0, 0, (3, 17)),
        ("004_64c64dd832c81699.txt", 35, 34, 0, (12, 9)),
    ],
)
def test_seed_counts(tmp_path, name, papers, bylines, orgs, page_day):
    text, result = _seed(name, tmp_path)
    assert sniff(text)
    ps = result.papers
    assert len(ps) == papers
    assert _bylines(ps) == bylines
    assert sum(1 for p in ps if p.organization) == orgs
    assert result.digest.format is Format.HF_TEXT
    assert result.digest.diagnostics == []
    assert result.digest.paper_ids == [p.id for p in ps]
    assert len(set(result.digest.paper_ids)) == papers
    d = result.digest.date
    assert (None if d is None else (d.month, d.day)) == page_day
    for p in ps:
        assert p.title and p.abstract
        assert p.title == p.title.strip() and "\n" not in p.title
        assert p.id == title_id(p.title) and p.kind is Kind.NEW
        assert "hf" not in p.links and "arxiv" not in p.links  # nothing on the page says these
        assert p.title not in hf_text._BOILERPLATE


def test_seed_000_no_blank_lines_glued_subscribe(tmp_path):
    _, result = _seed("000_ba169d13414646b2.txt", tmp_path)
    ps = result.papers
    assert result.digest.date is None  # no page date, no date in the file name
    _title_is(ps[0], "Bayesian Updates Compose", 34)  # "Subscribe" split off the glued title
    _title_is(ps[-1], "CCDN: Checkerboard Corner", 73)
    assert ps[1].links == {"github": "https://github.com/neurospin-projects/2024_rlouiset_sep_clr"}
    assert sum(1 for p in ps if "github" in p.links) == 3
    assert all(p.published is None and p.upvotes is None for p in ps)


def test_seed_000_digest_date_from_file_name(tmp_path):
    _, result = _seed("000_ba169d13414646b2.txt", tmp_path, "hf-20261031.txt")
    assert result.digest.date == date(2026, 10, 31)


def test_seed_001_bylines_and_year_inference(tmp_path):
    _, result = _seed("001_27b1778105e54f78.txt", tmp_path, "2026-10-31.txt")
    ps = result.papers
    assert result.digest.date == date(2026, 10, 31)
    first = ps[0]
    _title_is(first, "Encrypted Large Model Inference", 68)
    assert (first.author_count, first.published, first.upvotes) == (13, date(2026, 2, 2), None)
    assert (ps[1].author_count, ps[1].published) == (8, date(2024, 8, 19))  # a date with year
    last = ps[-1]
    _title_is(last, "Predictive auxiliary objectives", 70)
    assert (last.author_count, last.published) == (2, date(2023, 10, 9))
    apple = ps[31]
    _title_is(apple, "LinEAS: End-to-end Learning", 77)
    assert (apple.organization, apple.author_count) == ("Apple", None)
    assert (apple.published, apple.upvotes) == (date(2026, 3, 11), 1)
    assert apple.byline == "Apple"
    assert (ps[76].author_count, ps[76].published, ps[76].upvotes) == (17, date(2026, 5, 17), 8)
    assert (ps[85].published, ps[85].upvotes) == (date(2023, 6, 2), 1)  # "Jun 2, 2023 1"
    assert sum(1 for p in ps if p.upvotes is not None) == 20
    assert sum(1 for p in ps if p.published is not None) == 83
    # "the most recent such day on or before the digest's date": nothing after Oct 31, 2026.
    assert max(p.published for p in ps if p.published) <= date(2026, 10, 31)


def test_seed_003_no_bylines(tmp_path):
    _, result = _seed("003_189af028c8290844.txt", tmp_path, "hf-20270320.txt")
    ps = result.papers
    assert result.digest.date == date(2027, 3, 17)
    _title_is(ps[0], "Subject Membership Inference", 58)
    _title_is(ps[-1], "SocialGPT: Prompting LLMs", 87)
    assert ps[-1].links == {"github": "https://github.com/Mengzibin/SocialGPT"}
    assert all(p.author_count is None and p.published is None for p in ps)


def test_seed_004_dates_and_upvotes(tmp_path):
    _, result = _seed("004_64c64dd832c81699.txt", tmp_path, "2025-12-09.txt")
    ps = result.papers
    assert result.digest.date == date(2025, 12, 9)
    _title_is(ps[0], "Representational Stability of Truth", 60)
    assert (ps[0].author_count, ps[0].published, ps[0].upvotes) == (4, date(2025, 11, 24), 2)
    assert (ps[5].author_count, ps[5].published, ps[5].upvotes) == (16, date(2023, 9, 25), 2)
    _title_is(ps[-1], "Task-Specific Data Selection", 89)
    assert (ps[-1].author_count, ps[-1].published, ps[-1].upvotes) == (9, date(2025, 3, 19), None)


def test_seed_page_date_year_from_mtime(tmp_path):
    """No date in the file name: the year comes from the modification day (on or before it)."""
    src = shared_path("seeds", "004_64c64dd832c81699.txt")
    text = src.read_text(encoding="utf-8")
    result = parse(text, src, mtime=_ts(date(2024, 6, 1)))
    assert result.digest.date == date(2023, 12, 9)
    assert result.papers[0].published == date(2023, 11, 24)


def test_page_saved_after_new_year_keeps_last_years_date(tmp_path):
    """The page date takes the year closest to the file-name date (Dec 9 saved on Jan 2)."""
    _, result = _seed("004_64c64dd832c81699.txt", tmp_path, "2026-01-02.txt")
    assert result.digest.date == date(2025, 12, 9)


# --- invented fixtures: each variant and each odd case ---------------------------------------


def test_sample_digest_shipped_with_the_app():
    text = SAMPLE.read_text(encoding="utf-8")
    assert sniff(text)
    result = parse(text, SAMPLE)
    ps = result.papers
    assert result.digest.diagnostics == []
    assert result.digest.date == date(2026, 11, 20)
    assert len(ps) == 12 and _bylines(ps) == 12
    assert (ps[0].author_count, ps[0].published, ps[0].upvotes) == (7, date(2026, 11, 18), 42)
    assert ps[0].links == {"github": "https://github.com/lanternfish-lab/lanternfish"}
    assert ps[2].links == {
        "url1": "https://tidepool-bench.github.io/",
        "github": "https://github.com/tidepool-bench/harness",
    }
    assert (ps[3].organization, ps[3].author_count) == ("Nimbus Labs", None)
    assert ps[4].published == date(2025, 12, 2)  # "Dec 2" is after Nov 20: last year's
    assert (ps[5].published, ps[5].upvotes) == (date(2025, 8, 3), 4)
    assert ps[10].author_count == 1 and ps[10].byline == "1 author"


def test_blank_lines_with_bylines():
    text, result = _fixture("blank_bylines.txt", "2027-01-03.txt")
    ps = result.papers
    assert sniff(text) and result.digest.diagnostics == []
    assert result.digest.date == date(2027, 1, 3)
    assert [p.title for p in ps] == [
        "Frost Lines: Temperature Forecasting with Sparse Weather Stations",
        "Borrowed Time: Scheduling Shared GPUs Without Starvation",
        "Paper Trails: Citation Intent in Scientific Text",
        "Unsigned Claims: Verifying Numbers in Press Releases",
    ]
    assert (ps[0].author_count, ps[0].published, ps[0].upvotes) == (6, date(2026, 12, 28), 3)
    assert ps[0].links == {"github": "https://github.com/frost-lines/frost"}
    assert (ps[1].organization, ps[1].published, ps[1].upvotes) == ("Acme Research", date(2027, 1, 2), None)
    assert (ps[2].author_count, ps[2].published, ps[2].upvotes) == (1, date(2025, 11, 30), 12)
    last = ps[3]  # an entry without a byline block
    assert (last.author_count, last.organization, last.published, last.upvotes) == (None, None, None, None)
    assert last.abstract.startswith("Press releases often") and last.abstract.endswith("does not support.")


def test_blank_lines_without_bylines():
    text, result = _fixture("blank_no_bylines.txt", mtime=_ts(date(2023, 7, 10)))
    ps = result.papers
    assert sniff(text) and result.digest.diagnostics == []
    assert result.digest.date == date(2023, 7, 4)
    assert [p.title for p in ps] == [
        "Drifting Anchors: Calibration Under Label Shift",
        "Coarse to Fine Maps for Indoor Drones",
        "Listening for Leaks: Acoustic Detection in Water Pipes",
    ]
    assert ps[1].links == {"url1": "https://indoor-drones.example.org/maps"}
    assert _bylines(ps) == 0


def test_no_blank_lines():
    text, result = _fixture("no_blank_lines.txt", "hf-20250214.txt")
    ps = result.papers
    assert sniff(text) and result.digest.diagnostics == []
    assert result.digest.date == date(2025, 2, 14)  # no page date: the file name's date
    assert [p.title for p in ps] == [
        "Mapping Moss: Low-Cost Sensing of Urban Greenery",
        "The Long Tail of Typos in Code Search",
        "Slow Light in Fast Fibres",
    ]
    assert ps[1].links == {"github": "https://github.com/example-org/typo-search"}
    assert ps[2].abstract.startswith("We report a fibre design")


def test_headerless_page_is_still_a_page():
    text, result = _fixture("headerless.txt")
    assert sniff(text)
    assert [p.title for p in result.papers] == [
        "Echo Chambers in Recommender Feedback Loops",
        "Sparse Probes for Dense Retrievers",
    ]
    assert result.digest.date is None


def test_truncated_file_keeps_title_and_warns_with_line():
    _, result = _fixture("truncated.txt")
    ps = result.papers
    assert len(ps) == 2
    assert (ps[0].author_count, ps[0].upvotes) == (3, 1)
    assert (ps[1].title, ps[1].abstract) == ("A Title Whose Abstract Was Cut Off", "")
    [diag] = result.digest.diagnostics
    assert diag.level == "warning" and diag.line == 13
    assert "no abstract" in diag.message and "truncated" in diag.message


def test_malformed_byline_dates_warn_and_load():
    _, result = _fixture("malformed_date.txt", "2023-02-27.txt")
    ps = result.papers
    assert len(ps) == 3 and [p.author_count for p in ps] == [2, 5, 4]
    assert [(p.published, p.upvotes) for p in ps] == [(None, 4), (None, None), (date(2020, 2, 29), None)]
    assert [(d.level, d.line) for d in result.digest.diagnostics] == [("warning", 11), ("warning", 19)]
    assert "not a real day" in result.digest.diagnostics[0].message
    assert "'Sometime 2024'" in result.digest.diagnostics[1].message


def test_stray_middle_dots_are_reported_and_skipped():
    _, result = _fixture("stray_dots.txt")
    ps = result.papers
    assert [p.title for p in ps] == [
        "Knitting Patterns as Programs",
        "Lossless Compression of Sensor Logs",
        "Tiny Models for Bird Feeders",
    ]
    assert (ps[1].author_count, ps[1].upvotes) == (4, 6)
    assert ps[2].abstract.startswith("Battery-powered cameras")  # the `·` between them ignored
    assert [d.line for d in result.digest.diagnostics] == [8, 17, 20]
    assert all("stray" in d.message for d in result.digest.diagnostics)


def test_markup_looking_titles_are_kept_literally():
    _, result = _fixture("markup_titles.txt")
    assert [p.title for p in result.papers] == [
        "[bold]x[/]",
        "[link=https://example.com]Click me[/link] and [$error]vanish[/]",
    ]
    assert result.papers[0].links == {}  # a URL in a title is not an abstract link


def test_lost_title_and_lost_abstract_in_the_middle_resync():
    abstract = "An invented abstract that is clearly longer than any title. " * 3
    text = "\n\n".join(
        ["Title A", abstract, "Title B", "Title C", abstract, "Orphaned abstract. " * 20, "Title E", abstract]
    )
    result = parse(text, Path("x.txt"))
    assert [(p.title, bool(p.abstract)) for p in result.papers] == [
        ("Title A", True),
        ("Title B", False),
        ("Title C", True),
        ("Title E", True),
    ]
    assert [(d.line, d.message.split(" ")[0]) for d in result.digest.diagnostics] == [(5, "title"), (11, "text")]


def test_org_line_after_a_title_without_abstract():
    abstract = "An invented abstract that is clearly longer than any title. " * 3
    text = f"Title A\n{abstract}\nTitle B\nacme Acme\n·\nMar 3 5\nTitle C\n{abstract}\n"
    result = parse(text, Path("2024-03-05.txt"))
    a, b, c = result.papers
    assert (b.title, b.abstract, b.organization, b.published, b.upvotes) == (
        "Title B", "", "Acme", date(2024, 3, 3), 5
    )
    assert a.organization is None and c.abstract == abstract.strip()
    assert [d.line for d in result.digest.diagnostics] == [3]


def test_duplicate_titles_keep_the_first():
    text = "T\n" + "First abstract. " * 10 + "\nT\n" + "Second abstract. " * 10 + "\n"
    result = parse(text, Path("x.txt"))
    assert len(result.papers) == 1 and result.papers[0].abstract.startswith("First")
    assert [d.line for d in result.digest.diagnostics] == [3]


@pytest.mark.parametrize(
    ("line", "org"),
    [
        ("apple Apple", "Apple"),
        ("deepseek-ai DeepSeek", "DeepSeek"),
        ("ByteDance-Seed ByteDance Seed", "ByteDance Seed"),
        ("allenai Ai2", "Ai2"),
        ("Google DeepMind", "Google DeepMind"),
        ("Solo", "Solo"),
    ],
)
def test_organization_drops_the_avatar_handle(line, org):
    assert _organization(line) == org


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t\n",
        "hello",
        "Subscribe to our newsletter for more updates every week.\n",
        "# README\n\nThis project does things. " * 1 + "It is long enough to be an abstract. " * 6,
    ],
)
def test_sniff_rejects_non_pages(text):
    assert not sniff(text)


def test_sniff_rejects_markdown_with_sections():
    para = "This paragraph explains one part of the project in full sentences. " * 4
    assert not sniff(f"# Project\n\n{para}\n\n## Usage\n\n{para}\n\n## Licence\n\n{para}\n")
    assert sniff(f"Project\n\n{para}\n\nUsage\n\n{para}\n")  # the same shape, unmarked: a page


def test_sniff_rejects_prose_file():
    assert not sniff((HF_FIXTURES / "prose.txt").read_text(encoding="utf-8"))


def test_sniff_accepts_byline_block_without_chrome():
    abstract = "An invented abstract. " * 10
    assert sniff(f"Only Title\n\n{abstract}\n\n  • 3 authors\n·\nMay 2\n")


def test_junk_that_reaches_parse_is_an_error():
    result = parse("just one line\n", Path("x.txt"))
    assert result.papers == [] and result.digest.failed
    assert "no papers" in result.digest.diagnostics[-1].message


# --- the fast path (one regex pass) reads exactly what the line-by-line reader reads ------------


def _summary(result):
    papers = [
        (p.id, p.title, p.abstract, p.author_count, p.organization, p.published, p.upvotes, p.links)
        for p in result.papers
    ]
    return result.digest.date, papers, [str(d) for d in result.digest.diagnostics]


def _both_paths(text: str, path: Path):
    return _summary(_parse(text, path, None, fast=True)), _summary(_parse(text, path, None, fast=False))


def _takes_fast_path(text: str) -> bool:
    return _Reader(Digest(path=Path("x"), format=Format.HF_TEXT)).read_fast(text)


@pytest.mark.parametrize(
    "name",
    ["000_ba169d13414646b2.txt", "001_27b1778105e54f78.txt", "003_189af028c8290844.txt", "004_64c64dd832c81699.txt"],
)
def test_seeds_take_the_fast_path_and_agree(name):
    text = shared_path("seeds", name).read_text(encoding="utf-8")
    assert _takes_fast_path(text)
    fast, slow = _both_paths(text, Path("2026-10-31.txt"))
    assert fast == slow


@pytest.mark.parametrize(
    ("name", "fast"),
    [
        ("blank_bylines.txt", True),
        ("blank_no_bylines.txt", True),
        ("no_blank_lines.txt", True),
        ("headerless.txt", True),
        ("markup_titles.txt", True),
        ("truncated.txt", False),
        ("malformed_date.txt", False),
        ("stray_dots.txt", False),
    ],
)
def test_fixtures_fast_path_only_when_regular(name, fast):
    text = (HF_FIXTURES / name).read_text(encoding="utf-8")
    assert _takes_fast_path(text) is fast
    fast_result, slow_result = _both_paths(text, Path("2024-06-01.txt"))
    assert fast_result == slow_result


# --- never raise ------------------------------------------------------------------------------

_PAGE_LINES = st.sampled_from(
    [
        "",
        "·",
        "  • 3 authors",
        "• 0 authors",
        "apple Apple",
        "Feb 2",
        "Feb 29",
        "Feb 30 4",
        "Aug 19, 2024 7",
        "Oct 31",
        "Subscribe",
        "SubscribeA Glued Title",
        "new",
        "Daily Papers",
        "A Short Title",
        "[bold]x[/]",
        "An abstract sentence that is quite a bit longer than the titles. " * 3,
        "See https://github.com/a/b.",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(st.one_of(_PAGE_LINES, st.text(max_size=20))).map("\n".join)))
def test_parse_never_raises(text):
    sniff(text)
    result = parse(text, Path("2024-02-29.txt"), mtime=None)
    nlines = text.count("\n") + 1
    for p in result.papers:
        assert p.title and p.title == p.title.strip()
    assert result.digest.paper_ids == [p.id for p in result.papers]
    for d in result.digest.diagnostics:
        assert d.line is None or 1 <= d.line <= nlines


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PAGE_LINES, st.text(max_size=20))).map("\n".join))
def test_fast_and_slow_paths_agree(text):
    fast, slow = _both_paths(text, Path("2024-02-29.txt"))
    assert fast == slow


@given(st.floats(allow_nan=True, allow_infinity=True) | st.none())
def test_parse_never_raises_on_odd_mtime(mtime):
    parse("Oct 31\nT\n" + "An abstract. " * 20 + "\n  • 2 authors\n·\nFeb 29\n", Path("x.txt"), mtime)
