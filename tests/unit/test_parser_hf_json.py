"""The Hugging Face daily_papers JSON parser: real responses, invented edge cases, fuzzing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, REPO, shared_path
from tui.model import Format, Kind
from tui.parsers import hf_json
from tui.sanitize import has_controls

REAL_DIR = ("realdata", "hf_daily_papers_json")
# file -> (items, digest date, first day when the file spans several days)
REAL = {
    "sotawhat_hf_daily_papers.json": (30, date(2026, 6, 12), None),
    "personalnewsfeed_hf_papers.json": (30, date(2026, 7, 31), None),
    "aiweeklyradar_huggingface_papers.json": (25, date(2026, 7, 13), date(2026, 7, 10)),
    "allnewsai_hf_daily_papers.json": (5, date(2026, 7, 31), None),
    "newsassistant_hf_daily_papers.json": (3, date(2026, 8, 3), None),
}


def load(path: Path):
    return hf_json.parse(path.read_text(encoding="utf-8"), path)


def real(name: str):
    return load(shared_path(*REAL_DIR, name))


def fixture(name: str):
    return load(FIXTURES / "hf_json" / name)


def messages(result) -> list[str]:
    return [str(d) for d in result.digest.diagnostics]


# --- real responses -------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REAL))
def test_real_file_loads_every_item_cleanly(name: str) -> None:
    count, day, first_day = REAL[name]
    text = shared_path(*REAL_DIR, name).read_text(encoding="utf-8")
    assert hf_json.sniff(text)
    result = real(name)
    assert result.digest.format is Format.HF_JSON
    assert result.digest.diagnostics == []
    assert len(result.papers) == count
    assert result.digest.paper_ids == [p.id for p in result.papers]
    assert result.digest.date == day
    assert result.digest.date_start == first_day
    for p in result.papers:
        assert p.kind is Kind.NEW
        assert p.links["hf"] == f"https://huggingface.co/papers/{p.id}"
        assert p.links["arxiv"] == f"https://arxiv.org/abs/{p.id}"
        assert "\n" not in p.title and "\n" not in p.abstract
        assert p.author_count == len(p.authors) > 0


def test_real_files_total_93_items() -> None:
    assert sum(len(real(name).papers) for name in REAL) == 93


def test_real_item_fields() -> None:
    p = real("newsassistant_hf_daily_papers.json").papers[0]
    assert p.id == "2607.26654"
    assert p.title == "Constitutional Midtraining: Content Presence Drives Alignment Gains"
    assert len(p.authors) == 7 and p.authors[0] == "Desiree Cho"
    assert p.upvotes == 3
    assert p.num_comments == 1
    assert p.published == date(2026, 7, 29)
    assert p.organization == "University of Oxford"
    assert p.links["github"] == "https://github.com/desBugger/constitutional-mt"
    assert p.links["project"] == "https://www.lesswrong.com/posts/n5htoDGvKKJFAjji2"


def test_real_item_with_project_page_and_no_repo() -> None:
    p = real("aiweeklyradar_huggingface_papers.json").papers[1]
    assert p.id == "2607.06957"
    assert p.links["project"] == "https://seulbinhwang.github.io/flow-erd-project-page/"
    assert "github" not in p.links
    assert (p.organization, p.upvotes, p.num_comments, len(p.authors)) == ("Navercorp", 3, 2, 4)


def test_real_hidden_author_is_kept() -> None:
    p = real("sotawhat_hf_daily_papers.json").papers[20]
    assert p.id == "2606.12575"
    assert len(p.authors) == 10
    assert p.authors[3] == "Dengyang Jiang"  # marked hidden in the response


def test_real_paragraph_break_in_summary_is_joined() -> None:
    p = real("sotawhat_hf_daily_papers.json").papers[25]
    assert p.id == "2606.13120"
    assert "reasoning shortcuts. In this paper, we introduce EvoBrowseComp" in p.abstract


def test_real_abstract_url_same_as_project_page_is_not_repeated() -> None:
    p = real("sotawhat_hf_daily_papers.json").papers[17]
    assert p.links["github"] == "https://github.com/raphael-baena/morphology4metrology"
    # The abstract's URL is the project page without its trailing slash: one link, not two.
    assert p.links["project"].rstrip("/") == "https://malamatenia.github.io/morphology4metrology-analysis"
    assert "url1" not in p.links


def test_real_upvotes_of_a_popular_item() -> None:
    p = real("personalnewsfeed_hf_papers.json").papers[21]
    assert (p.id, p.upvotes, p.num_comments) == ("2607.28227", 283, 7)


# --- invented fixtures and samples ----------------------------------------------------------

def test_sample_file_loads() -> None:
    result = load(REPO / "tui" / "samples" / "hf-api-2026-11-19.json")
    assert result.digest.diagnostics == []
    assert len(result.papers) == 8
    assert result.digest.date == date(2026, 11, 19)
    assert result.papers[0].links["github"] == "https://github.com/lanternfish-lab/lanternfish"


def test_2024_layout_hard_line_breaks_joined_and_date_from_file_name() -> None:
    result = fixture("legacy-2024-10-25.json")
    assert messages(result) == []
    first, second = result.papers
    assert first.title == ("Breaking the Memory Wall: Near-Constant Footprint Batch Scaling "
                           "for Contrastive Loss")
    assert second.title == "Reading Between the Lines: Layout-Aware Summaries of Scanned Reports"
    assert first.abstract == (
        "Contrastive training wants very large batches, but the similarity matrix grows with the "
        "square of the batch size. We tile the matrix and recompute it on the fly, so memory stays "
        "nearly flat as the batch grows.\n\nOn a single node we train with batches sixteen times "
        "larger than before.")
    assert first.authors == ("Odile Marchetti", "Bram de Vries", "Keiko Aoyama")
    assert (first.upvotes, first.num_comments, first.organization) == (61, 3, None)
    assert first.published == date(2024, 10, 23)
    # no submittedOnDailyAt in 2024 captures: the day comes from the file name
    assert result.digest.date == date(2024, 10, 25)
    assert result.digest.date_start is None


def test_error_object_is_not_a_digest() -> None:
    result = fixture("error-object.json")
    assert result.papers == []
    assert result.digest.failed
    (diag,) = result.digest.diagnostics
    assert diag.level == "error"
    assert "not a digest" in diag.message and "Invalid date format" in diag.message


def test_list_without_paper_items_is_not_a_digest() -> None:
    result = fixture("list-of-numbers.json")
    assert result.digest.failed
    assert messages(result) == [
        "error: not a digest: a JSON list of 4 values (a number, a string) with no paper items"]


@pytest.mark.parametrize("text, expected", [
    ('{"papers": []}', "not a digest: a JSON object (keys: 'papers'), not a list of paper items"),
    ("42", "not a digest: a number, not a list of paper items"),
    ('"hello"', "not a digest: a string, not a list of paper items"),
    ("null", "not a digest: null, not a list of paper items"),
])
def test_other_json_is_not_a_digest(text: str, expected: str) -> None:
    result = hf_json.parse(text, Path("x.json"))
    assert result.papers == []
    assert messages(result) == [f"error: {expected}"]


def test_truncated_json_names_line_and_column_and_keeps_complete_items() -> None:
    result = fixture("truncated.json")
    assert [p.id for p in result.papers] == ["2611.20001", "2611.20002"]
    error = result.digest.diagnostics[0]
    assert error.level == "error" and error.line == 29
    assert "invalid JSON" in error.message and "line 29, column 57" in error.message
    assert result.digest.date == date(2026, 11, 20)
    assert not result.digest.failed


def test_garbage_json_is_one_error_without_papers() -> None:
    result = hf_json.parse("[1, 2,, 3]", Path("x.json"))
    assert result.papers == []
    assert messages(result)[0] == "error: line 1: invalid JSON (Expecting value) at line 1, column 7"


def test_bad_items_are_skipped_with_warnings_and_the_rest_loads() -> None:
    result = fixture("mixed-bad.json")
    assert [p.id for p in result.papers] == ["2611.30001", "2611.30005"]
    assert messages(result) == [
        "warning: item 1 (2611.30001): paper.githubRepo is not an http(s) URL; ignored",
        "warning: item 2: paper.id missing; skipped",
        "warning: item 3 (2611.30003): title a number, not text; skipped",
        "warning: item 4: a string, not a paper object; skipped",
        "warning: item 5 (2611.30005): summary is a list, not text; ignored",
        "warning: item 5 (2611.30005): paper.authors is a string, not a list",
        "warning: item 5 (2611.30005): upvotes is a string, not a count; ignored",
        "warning: item 5 (2611.30005): numComments is a boolean, not a count; ignored",
        "warning: item 6: paper.id not an arXiv id ('not-an-arxiv-id'); skipped",
        "warning: item 7: paper 2611.30001 listed twice; second copy skipped",
    ]
    first, fifth = result.papers
    # escapes decoded from \u sequences are removed; the nameless author and the string dropped
    assert first.title == "Escapes in a Title"
    assert first.authors == ("Greta Nilsen", "Omar Farouk")
    assert first.abstract == ("An abstract with a link to https://github.com/example-org/escapes "
                              "and a NUL.")
    assert first.links["github"] == "https://github.com/example-org/escapes"  # from the abstract
    assert first.links["project"] == "https://escapes.example.org/"
    assert first.organization == "Paper Level Org"
    assert (first.upvotes, first.num_comments) == (12, 4)
    assert (fifth.title, fifth.authors, fifth.abstract) == ("Wrong Types but Readable", (), "")
    assert (fifth.upvotes, fifth.num_comments, fifth.published, fifth.organization) == (
        None, None, None, None)
    assert result.digest.date == date(2026, 11, 19)
    assert result.digest.date_start == date(2026, 11, 18)


def test_empty_list_is_an_empty_digest_with_a_warning() -> None:
    result = hf_json.parse("[]\n", Path("hf-20261101.json"))
    assert result.papers == [] and not result.digest.failed
    assert messages(result) == ["warning: empty list: this response has no papers"]
    assert result.digest.date == date(2026, 11, 1)


def test_bare_paper_objects_are_read() -> None:
    text = json.dumps([{"id": "2611.40001", "title": "Bare", "summary": "S.", "upvotes": 2,
                        "authors": [{"name": "A B"}]}])
    (p,) = hf_json.parse(text, Path("x.json")).papers
    assert (p.id, p.title, p.abstract, p.upvotes, p.authors) == ("2611.40001", "Bare", "S.", 2, ("A B",))


def test_sniff() -> None:
    assert hf_json.sniff('  \n[{"paper": {}}]')
    assert hf_json.sniff('{"error": "x"}')
    assert not hf_json.sniff("<?xml version='1.0'?><feed/>")
    assert not hf_json.sniff("Daily Papers\n[1] not json")
    assert not hf_json.sniff("")


# --- robustness -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
paper_keys = st.sampled_from(["id", "title", "summary", "authors", "upvotes", "publishedAt",
                              "submittedOnDailyAt", "githubRepo", "projectPage", "organization"])
paperish = st.fixed_dictionaries({
    "paper": st.dictionaries(paper_keys, json_values | st.just("2611.00001"), max_size=10),
    "numComments": json_values,
    "organization": json_values,
})


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_and_sniff_never_raise_on_any_text(text: str) -> None:
    hf_json.sniff(text)
    result = hf_json.parse(text, Path("any.json"))
    assert result.digest.paper_ids == [p.id for p in result.papers]


@settings(max_examples=300, deadline=None)
@given(st.lists(paperish | json_values, max_size=5))
def test_wrong_types_anywhere_never_raise_and_output_is_clean(items: list) -> None:
    result = hf_json.parse(json.dumps(items), Path("typed.json"))
    for p in result.papers:
        assert p.title and not has_controls(p.title) and "\n" not in p.title
        assert not has_controls(p.abstract)
        assert all(isinstance(a, str) and a for a in p.authors)
        assert all(u.startswith(("https://", "http://")) for u in p.links.values())

