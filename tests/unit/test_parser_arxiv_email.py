"""The arXiv e-mail digest parser: every real mailing, invented edge cases, fuzzing."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, REPO, shared_path
from tui.model import Format, Kind, ParseResult, title_id
from tui.parsers import arxiv_email

REAL_DIR = ("realdata", "arxiv_email")
FIX = FIXTURES / "arxiv_email"
SAMPLE = REPO / "tui" / "samples" / "arxiv-cs-2026-11-20.txt"

# file -> (entries, new, cross-lists, replacements, range start, digest day).
# Counted independently with awk: an entry is an "arXiv:" line right after a "\\" line; the big
# file has 1,142 lines starting "arXiv:" but one of them is inside an abstract (1,141 entries).
REAL = {
    "asv_arxiv_2026-01-20_cs.AI-LG-SE.txt": (1141, 345, 362, 434, date(2026, 1, 16), date(2026, 1, 21)),
    "asv_history_2026-01-23.txt": (382, 116, 109, 157, date(2026, 1, 21), date(2026, 1, 23)),
    "asv_fixture_2026-01-23.txt": (5, 5, 0, 0, date(2026, 1, 21), date(2026, 1, 23)),
    "asv_fixture_2026-01-26.txt": (10, 10, 0, 0, date(2026, 1, 22), date(2026, 1, 26)),
    "arxivbrowse_astro-ph_listings_new.txt": (97, 53, 4, 40, date(2023, 3, 1), date(2023, 3, 3)),
    "arxivbrowse_q-fin_listings_new.txt": (16, 13, 0, 3, date(2023, 3, 15), date(2023, 3, 17)),
    "arxivbrowse_math_listings_new.AG.txt": (2, 0, 1, 1, date(2023, 6, 7), date(2023, 6, 9)),
}


def load(path: Path) -> ParseResult:
    return arxiv_email.parse(path.read_text(encoding="utf-8"), path)


def real(name: str) -> ParseResult:
    return load(shared_path(*REAL_DIR, name))


def by_id(result: ParseResult) -> dict:
    return {p.id: p for p in result.papers}


# -------------------------------------------------------------------------------- real mailings


def test_every_real_file_is_listed() -> None:
    present = {p.name for p in shared_path(*REAL_DIR).glob("*.txt") if p.name != "PROVENANCE.txt"}
    assert present == set(REAL)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_counts_kinds_and_dates(name: str) -> None:
    total, new, cross, replaced, start, day = REAL[name]
    text = shared_path(*REAL_DIR, name).read_text(encoding="utf-8")
    assert arxiv_email.sniff(text)
    result = arxiv_email.parse(text, Path(name))
    digest = result.digest
    assert digest.format is Format.ARXIV_EMAIL
    assert digest.diagnostics == []
    assert len(result.papers) == total
    kinds = Counter(p.kind for p in result.papers)
    assert kinds == Counter({Kind.NEW: new, Kind.CROSS_LIST: cross, Kind.REPLACED: replaced}) - Counter()
    assert (digest.date_start, digest.date) == (start, day)
    assert digest.paper_ids == [p.id for p in result.papers]
    assert len(set(digest.paper_ids)) == total
    # The closing "\\ ( https://arxiv.org/abs/ID , ...)" lines name the same ids, in order.
    assert re.findall(r"^\\\\ \( https://arxiv\.org/abs/(\S+) ,", text, re.M) == digest.paper_ids


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_replacements_have_no_abstract_and_the_rest_do(name: str) -> None:
    for p in real(name).papers:
        assert (p.abstract == "") == (p.kind is Kind.REPLACED), p.id
        assert p.title and p.authors and p.categories and p.published, p.id
        assert p.links["arxiv"] == f"https://arxiv.org/abs/{p.id}"
        assert p.links["pdf"] == f"https://arxiv.org/pdf/{p.id}"


@pytest.mark.parametrize("name", sorted(REAL))
def test_fast_and_tolerant_readings_agree(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every real entry read by the one-regex fast path equals the field-by-field fallback."""
    fields = ("id", "title", "abstract", "authors", "published", "categories", "links", "kind", "comments")
    fast = [tuple(getattr(p, f) for f in fields) for p in real(name).papers]
    monkeypatch.setattr(arxiv_email, "_HEAD", re.compile(r"(?!)"))
    slow = [tuple(getattr(p, f) for f in fields) for p in real(name).papers]
    assert slow == fast


def test_first_entry_of_2026_digest_wrapped_title_and_comments() -> None:
    p = real("asv_history_2026-01-23.txt").papers[0]
    assert p.id == "2601.15305"
    assert p.title == ("Gated Sparse Attention: Combining Computational Efficiency with Training "
                       "Stability for Long-Context Language Models")
    assert p.authors == ("Alfred Shen", "Aaron Shen")
    assert p.categories == ("cs.AI",)
    assert p.comments == "15 pages, 1 figure, attention mechanism, sparse attention, gating, long-context"
    assert p.published == date(2026, 1, 12)
    assert p.kind is Kind.NEW
    assert p.abstract.startswith("The computational burden of attention in long-context language models has ")
    assert "\n" not in p.abstract


def test_replaced_cross_list_has_no_abstract_and_a_doi() -> None:
    p = real("asv_history_2026-01-23.txt").papers[-1]
    assert p.id == "2511.13520"
    assert p.kind is Kind.REPLACED  # "(*cross-listing*)" too, but a replacement first
    assert p.abstract == ""
    assert p.published == date(2026, 1, 22)  # the revised-version date
    assert p.categories == ("quant-ph", "cs.SE")
    assert p.comments is None
    assert p.links["doi"] == "https://doi.org/10.1145/3786150.3788611"
    assert p.authors[-1] == "Wolfgang Mauerer" and len(p.authors) == 5


def test_abstract_urls_become_links() -> None:
    papers = by_id(real("asv_history_2026-01-23.txt"))
    assert papers["2601.15392"].links["github"] == "https://github.com/francescapia/GeMM-GAN"
    assert papers["2601.15392"].links["doi"] == "https://doi.org/10.1007/978-3-032-11317-7_33"
    # inside a LaTeX \href{...}{...}: the URL stops at the brace
    assert papers["2601.15316"].links["github"] == "https://github.com/Tan-YiLong/Overview-of-Fake-News-Detection"


def test_big_digest_entries() -> None:
    result = real("asv_arxiv_2026-01-20_cs.AI-LG-SE.txt")
    papers = by_id(result)
    first = result.papers[0]
    assert first.id == "2601.11559"
    assert first.title == "MIMIC-RD: Can LLMs differentially diagnose rare diseases in real-world clinical settings?"
    assert first.authors == ("Zilal Eiz AlDin", "John Wu", "Jeffrey Paul Fung", "Jennifer King", "Mya Watts",
                             "Lauren ONeill", "Adam Richard Cross", "Jimeng Sun")
    assert first.categories == ("cs.AI", "cs.CL", "cs.LG")
    assert (first.comments, first.published) == ("5 pages", date(2025, 12, 18))
    assert "2601.00638" not in papers  # an "arXiv:" line inside an abstract is not an entry
    assert papers["2601.11526"].kind is Kind.CROSS_LIST
    replaced = [p for p in result.papers if p.kind is Kind.REPLACED]
    assert (replaced[0].id, replaced[0].published) == ("2401.13770", date(2026, 1, 20))
    withdrawn = papers["2601.10999"]
    assert withdrawn.kind is Kind.REPLACED and withdrawn.abstract == ""
    assert withdrawn.comments.startswith("The authors are withdrawing this manuscript in order to substantially revise")
    # indented abstract lines start paragraphs (arXiv's own rule)
    assert papers["2601.11840"].abstract.count("\n\n") == 3


def test_authors_lose_affiliations_and_nicknames() -> None:
    papers = by_id(real("asv_arxiv_2026-01-20_cs.AI-LG-SE.txt"))
    assert papers["2601.12842"].authors == ("Qitong Fang", "Haotian Li", "Xu Wang")
    assert papers["2601.11977"].authors == ("Ren He", "Yinliang Xu", "Jinfeng Wang", "Jeremy Watson", "Jian Song")
    assert papers["2601.12585"].authors == ("Mengli Duan", "Yuhe Jiang", "Matthew Varona", "Carolina Nobre")
    assert papers["2601.14087"].authors[-2:] == ("Jordi Altayo Gonzalez", "Ahmed Hemani")
    assert papers["2601.12630"].authors == ("Rohit Goswami", "Miha Gunde", "Hannes Jónsson")  # LaTeX accent turned into the letter


def test_2023_layout_entries() -> None:
    result = real("arxivbrowse_astro-ph_listings_new.txt")
    papers = by_id(result)
    first = result.papers[0]
    assert (first.id, first.title) == ("2303.00763", "Census of Gaseous Satellites around Local Spiral Galaxies")
    assert first.authors == ("Jingyao Zhu", "Mary E Putman")
    assert first.comments == "18 pages, 13 figures, accepted by MNRAS"
    cross = papers["2303.00812"]
    assert cross.kind is Kind.CROSS_LIST
    assert cross.categories == ("gr-qc", "astro-ph.EP", "astro-ph.IM", "physics.space-ph")
    # "Name (1), ... Name (5, on behalf of the ... team) and Name (6) ((1) Univ ..., (2) ...)"
    assert papers["2303.00985"].authors[-2:] == ("Yoh Takei", "Yoichi Kochibe")
    assert len(papers["2303.00985"].authors) == 10
    last = result.papers[-1]
    assert last.id == "2303.00370" and last.kind is Kind.REPLACED and last.abstract == ""
    assert last.title == "Application of Deep Learning Methods for Distinguishing Gamma-Ray Bursts from Fermi/GBM TTE Data"
    assert len(last.authors) == 13 and last.authors[-1] == "Hongyu Zhao"
    assert last.published == date(2023, 3, 2)


def test_small_2023_files() -> None:
    qfin = real("arxivbrowse_q-fin_listings_new.txt").papers[-1]
    assert (qfin.id, qfin.kind, qfin.comments) == ("2206.14015", Kind.REPLACED, None)  # MSC-class only
    assert qfin.authors == ("David Criens", "Lars Niemann")
    ag = real("arxivbrowse_math_listings_new.AG.txt").papers
    assert [(p.id, p.kind) for p in ag] == [("2306.77777", Kind.CROSS_LIST), ("2204.88888", Kind.REPLACED)]
    assert ag[1].authors == ("Mystery Person",)


# -------------------------------------------------------------------------------- invented fixtures


def test_fixture_2023_layout_mail_date_sections_and_trailer() -> None:
    result = load(FIX / "layout_2023.txt")
    d = result.digest
    assert (d.date_start, d.date, d.diagnostics) == (date(2023, 2, 3), date(2023, 2, 7), [])
    assert [(p.id, p.kind) for p in result.papers] == [
        ("2302.01101", Kind.NEW), ("2302.01102", Kind.NEW), ("2302.01150", Kind.CROSS_LIST),
        ("2211.09876", Kind.REPLACED), ("2209.04321", Kind.REPLACED),
    ]
    first = result.papers[0]
    assert first.links["doi"] == "https://doi.org/10.5555/jmua.2023.044"
    assert first.abstract.endswith("relax on the outbound leg.")
    assert result.papers[4].published == date(2023, 2, 5)


def test_fixture_2024_layout_friday_range_is_announced_monday() -> None:
    result = load(FIX / "layout_2024.txt")
    d = result.digest
    assert (d.date_start, d.date, d.diagnostics) == (date(2026, 10, 15), date(2026, 10, 19), [])
    assert [p.kind for p in result.papers] == [Kind.NEW, Kind.CROSS_LIST, Kind.REPLACED]
    assert result.papers[2].authors == ("Hugo Brandt", "Esi Owusu")


def test_fixture_wrapped_fields() -> None:
    result = load(FIX / "wrapped_fields.txt")
    assert result.digest.diagnostics == []
    p, q = result.papers
    assert p.title == ("On the Remarkably Long and Carefully Wrapped Titles of Entirely Fictional Papers "
                       "About Folding Umbrellas in Strong Winds: A Study in Three Parts")
    assert p.authors == ("Aino Virtanen", "Rafael Ortiz", "Mei Lin", "Sam Osei")
    assert p.comments == ("31 pages, 12 figures; an extended version of a workshop paper that was never given")
    assert p.categories == ("cs.RO", "physics.toy")
    assert p.abstract.split("\n\n") == [
        "Umbrellas fold in strong winds. We study why, with a wind tunnel made of cardboard and a great "
        "deal of patience. Code is at https://github.com/example-org/umbrella-fold and data at "
        "https://example.org/umbrella-data.",
        "In the second part we show that a folded umbrella stays folded.",
        "In the third part we apologise to the umbrellas.",
    ]
    assert p.links == {
        "arxiv": "https://arxiv.org/abs/2611.05501", "pdf": "https://arxiv.org/pdf/2611.05501",
        "doi": "https://doi.org/10.5555/umbrella.2026.001",
        "github": "https://github.com/example-org/umbrella-fold", "url1": "https://example.org/umbrella-data",
    }
    assert q.authors == ("Chun-Wei Tan", "Dana Park", "Ola Nordmann")


def test_fixture_cross_list_replacement() -> None:
    result = load(FIX / "cross_list_replacement.txt")
    assert result.digest.diagnostics == []
    assert [(p.id, p.kind, p.abstract == "") for p in result.papers] == [
        ("2611.05601", Kind.NEW, False), ("2603.01234", Kind.REPLACED, True), ("2601.09999", Kind.REPLACED, True),
    ]
    assert result.papers[1].published == date(2026, 11, 19)
    assert result.papers[2].comments == "This paper has been withdrawn by the author"


def test_fixture_old_style_ids() -> None:
    result = load(FIX / "old_style_id.txt")
    d = result.digest
    assert (d.date_start, d.date, d.diagnostics) == (date(2006, 1, 3), date(2006, 1, 5), [])
    assert [(p.id, p.kind) for p in result.papers] == [("math/0601001", Kind.NEW), ("hep-th/9901001", Kind.REPLACED)]
    assert result.papers[0].links["arxiv"] == "https://arxiv.org/abs/math/0601001"


def test_fixture_versioned_ids_lose_their_version() -> None:
    result = load(FIX / "versioned_id.txt")
    assert result.digest.diagnostics == []
    assert [(p.id, p.kind) for p in result.papers] == [("2611.01234", Kind.NEW), ("2611.01235", Kind.CROSS_LIST)]
    assert result.papers[1].links["pdf"] == "https://arxiv.org/pdf/2611.01235"


def test_fixture_truncated_file_keeps_the_partial_entry() -> None:
    result = load(FIX / "truncated.txt")
    assert [p.id for p in result.papers] == ["2611.07001", "2611.07002"]
    assert result.papers[1].abstract == ("The download stopped in the middle of this sentence and the rest of "
                                         "the file never")
    assert [str(d) for d in result.digest.diagnostics] == [
        "warning: line 17: entry 2611.07002 is truncated (no closing abs line)"]


def test_truncated_inside_the_fields_and_after_the_id() -> None:
    text = (FIX / "truncated.txt").read_text(encoding="utf-8")
    cut = text[: text.index("Authors: Emil Sand")]
    result = arxiv_email.parse(cut, Path("cut.txt"))
    assert [p.id for p in result.papers] == ["2611.07001", "2611.07002"]
    assert result.papers[1].title == "An Entry Whose Abstract Is Cut Off" and result.papers[1].abstract == ""
    cut = text[: text.index("arXiv:2611.07002") + len("arXiv:2611.07002")]
    result = arxiv_email.parse(cut, Path("cut.txt"))
    assert [p.id for p in result.papers] == ["2611.07001", "2611.07002"]
    messages = [d.message for d in result.digest.diagnostics]
    assert "entry 2611.07002 has no Title" in messages and "entry 2611.07002 has no Date line" in messages


def test_fixture_missing_ids() -> None:
    result = load(FIX / "missing_id.txt")
    assert [p.id for p in result.papers] == [
        "2611.08001", title_id("An Entry That Lost Its Identifier"), "2611.08003", "2611.08005"]
    assert result.papers[1].links == {}
    assert [str(d) for d in result.digest.diagnostics] == [
        "warning: line 18: entry has no arXiv id line; loaded by its title",
        "warning: line 28: entry has no arXiv id line; id 2611.08003 taken from its abs link",
        "warning: line 38: entry has unreadable arXiv id 'not-an-id' and no title; skipped",
    ]


def test_fixture_duplicate_id_keeps_the_first() -> None:
    result = load(FIX / "duplicate_id.txt")
    assert [p.title for p in result.papers] == ["The First Copy Wins", "Something Else in Between"]
    assert result.digest.paper_ids == ["2611.09001", "2611.09002"]
    assert [str(d) for d in result.digest.diagnostics] == [
        "warning: line 28: duplicate entry for 2611.09001; kept the first"]


def test_crlf_input_parses_like_lf() -> None:
    raw = (FIX / "crlf.txt").read_bytes().decode("utf-8")
    assert "\r\n" in raw
    lf = load(FIX / "layout_2024.txt")
    fields = ("id", "title", "abstract", "authors", "published", "categories", "kind", "comments")
    expected = [tuple(getattr(p, f) for f in fields) for p in lf.papers]
    for text in (raw.replace("\r\n", "\n"), raw):  # as the loader hands it over, and raw
        result = arxiv_email.parse(text, Path("crlf.txt"))
        assert [tuple(getattr(p, f) for f in fields) for p in result.papers] == expected
        assert (result.digest.date, result.digest.diagnostics) == (date(2026, 10, 19), [])


def test_sample_digest() -> None:
    result = load(SAMPLE)
    d = result.digest
    assert (d.date_start, d.date, d.diagnostics) == (date(2026, 11, 18), date(2026, 11, 20), [])
    assert Counter(p.kind for p in result.papers) == {Kind.NEW: 5, Kind.CROSS_LIST: 2, Kind.REPLACED: 3}
    first = result.papers[0]
    assert first.links["github"] == "https://github.com/example-lab/lanternfish"
    assert first.links["url1"] == "https://lanternfish.example.org/demo"
    assert first.abstract.count("\n\n") == 1


# -------------------------------------------------------------------------------- header and helpers


HEADER_2024 = " Submissions to:\nX\n received from  {}  to  {}\n" + "-" * 78 + "\n"


@pytest.mark.parametrize(("start", "end", "day"), [
    ("Mon  2 Nov 26 19:00:00 GMT", "Tue  3 Nov 26 19:00:00 GMT", date(2026, 11, 4)),
    ("Wed 18 Nov 26 19:00:00 GMT", "Thu 19 Nov 26 19:00:00 GMT", date(2026, 11, 20)),
    ("Thu 19 Nov 26 19:00:00 GMT", "Fri 20 Nov 26 19:00:00 GMT", date(2026, 11, 23)),
    ("Wed 30 Dec 26 19:00:00 GMT", "Thu 31 Dec 26 19:00:00 GMT", date(2027, 1, 1)),
])
def test_announcement_day_from_range(start: str, end: str, day: date) -> None:
    digest = arxiv_email.parse(HEADER_2024.format(start, end), Path("h.txt")).digest
    assert digest.date == day


def test_range_without_end_and_no_header() -> None:
    digest = arxiv_email.parse(" received from  Wed 18 Nov 26 19:00:00 GMT\n", Path("h.txt")).digest
    assert (digest.date_start, digest.date) == (date(2026, 11, 18), date(2026, 11, 18))
    assert "without 'to'" in digest.diagnostics[0].message
    digest = arxiv_email.parse("\\\\\narXiv:2611.00001\n", Path("h.txt")).digest
    assert digest.date is None and digest.paper_ids == ["2611.00001"]
    assert any("no digest date" in d.message for d in digest.diagnostics)


def test_mail_date_beats_the_range() -> None:
    text = "Date: Mon, 23 Nov 26 00:40:00 GMT\n" + HEADER_2024.format(
        "Wed 18 Nov 26 19:00:00 GMT", "Thu 19 Nov 26 19:00:00 GMT")  # a holiday delayed the mailing
    assert arxiv_email.parse(text, Path("h.txt")).digest.date == date(2026, 11, 23)


def test_empty_and_foreign_text_is_an_error_not_an_exception() -> None:
    for text in ("", "hello\n", "-" * 78 + "\n\\\\\n"):
        result = arxiv_email.parse(text, Path("x.txt"))
        assert result.papers == [] and result.digest.failed


@pytest.mark.parametrize(("line", "names"), [
    ("A. One, B. Two and C. Three", ("A. One", "B. Two", "C. Three")),
    ("A. One, B. Two, and C. Three", ("A. One", "B. Two", "C. Three")),
    ("Ann Anderson and Sandy Band", ("Ann Anderson", "Sandy Band")),
    ("X Y (1), Z W (1 and 2) ((1) Uni A, (2) Lab (B), C)", ("X Y", "Z W")),
    ("Solo Author (Some Institute, Next Person", ("Solo Author", "Next Person")),
    ("Stray) Paren", ("Stray Paren",)),
    ("A Team; B Person", ("A Team", "B Person")),
    ("First\n  Last, Other\n  and Third", ("First Last", "Other", "Third")),
    ("", ()),
])
def test_split_authors(line: str, names: tuple[str, ...]) -> None:
    assert arxiv_email.split_authors(line) == names


def test_sniff() -> None:
    for path in [*FIX.glob("*.txt"), SAMPLE]:
        assert arxiv_email.sniff(path.read_text(encoding="utf-8")), path.name
    for text in ('[{"title": "x", "paper": {"id": "2601.00001"}}]',
                 '<?xml version="1.0"?><feed><entry><id>http://arxiv.org/abs/2601.00001v1</id></entry></feed>',
                 "Daily Papers\nA title\nAn abstract mentioning arXiv:2601.00001 in passing.\n",
                 ""):
        assert not arxiv_email.sniff(text)
    late = "x\n" * 5000 + "\\\\\narXiv:2601.00001\n"  # beyond the head the sniffer reads
    assert not arxiv_email.sniff(late)


# -------------------------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    arxiv_email.sniff(text)
    result = arxiv_email.parse(text, Path("fuzz.txt"))
    assert len(result.papers) == len(result.digest.paper_ids) == len(set(result.digest.paper_ids))


_PIECES = [line + "\n" for line in (FIX / "wrapped_fields.txt").read_text(encoding="utf-8").split("\n")] + [
    "\\\\\n", "arXiv:2611.00001\n", "arXiv:2611.00001 (*cross-listing*)\n", "-" * 78 + "\n",
    "replaced with revised version Thu, 31 Feb 2026 08:00:00 GMT   (1kb)\n", "Title:\n", "  \n",
    "\\\\ ( https://arxiv.org/abs/2611.00002 ,  1kb)\n", "%%--%%--%%--\n", "%%%---%%%---\n", "Date: x\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=80), st.booleans())
def test_shuffled_digest_lines_never_raise(pieces: list[str], drop_newline: bool) -> None:
    """Real-shaped lines in any order: exercises the tolerant paths far more than random text."""
    text = "".join(pieces)
    if drop_newline:
        text = text.rstrip("\n")
    result = arxiv_email.parse(text, Path("fuzz.txt"))
    assert result.digest.paper_ids == [p.id for p in result.papers]
    for d in result.digest.diagnostics:
        assert d.line is None or 1 <= d.line <= text.count("\n") + 1


def test_a_digest_pasted_twice_loads_once_and_quickly() -> None:
    text = shared_path(*REAL_DIR, "asv_history_2026-01-23.txt").read_text(encoding="utf-8")
    body = text[: text.index("\n%%%---")]
    result = arxiv_email.parse(body + "\n" + body[body.index("-" * 78):], Path("twice.txt"))
    assert len(result.papers) == 382
    assert len(result.digest.diagnostics) == 382
    lines = [d.line for d in result.digest.diagnostics]
    assert lines == sorted(lines) and lines[0] > text.count("\n")


def test_missing_separator_still_splits_entries() -> None:
    text = (FIX / "versioned_id.txt").read_text(encoding="utf-8")
    glued = text.replace("64kb)\n" + "-" * 78 + "\n", "64kb)\n")
    assert glued != text
    result = arxiv_email.parse(glued, Path("glued.txt"))
    assert [p.id for p in result.papers] == ["2611.01234", "2611.01235"]
    assert result.digest.diagnostics == []


def test_an_indented_line_in_mid_sentence_is_not_a_paragraph_break() -> None:
    from tui.parsers.arxiv_email import _paragraphs

    raw = ("  There is no evidence that the resultant energy\n  resolution degradation is beyond budget.\n"
           "  We introduce a new method that\ncaptures:\n  (1) one thing;\n  (2) another.")
    assert _paragraphs(raw) == ("There is no evidence that the resultant energy resolution degradation is beyond budget."
                                "\n\nWe introduce a new method that captures:\n\n(1) one thing;\n\n(2) another.")
    papers = by_id(real("arxivbrowse_astro-ph_listings_new.txt"))
    assert "energy resolution degradation" in " ".join(p.abstract for p in papers.values())
