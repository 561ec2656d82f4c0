"""The filter engine: fuzzy words, phrases, fields, flags, ranking, cancellation, highlights."""

from __future__ import annotations

import numpy as np
import pytest

from tui.matching import entry_matches, highlight_spans
from tui.model import Paper
from tui.search import Cancelled, SearchIndex, parse_query

PAPERS = [
    Paper("1", "Diffusion Models for Weather Forecasting", abstract="We forecast storms.", authors=("Ada Lovelace",)),
    Paper("2", "Sparse Attention in Transformers", abstract="A diffusion of ideas about attention heads."),
    Paper("3", "Protein Folding with Tidal Priors", abstract="Tidal priors help.", authors=("Grace Hopper",)),
    Paper("4", "Transformer Circuits for Arithmetic", abstract="Circuits that add numbers; see the weather section."),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(PAPERS)


def ids(index: SearchIndex, q: str, **kw) -> list[str]:
    return index.search(parse_query(q), **kw).ids


def test_title_matches_rank_before_abstract_matches(index: SearchIndex) -> None:
    assert ids(index, "diffusion") == ["1", "2"]


def test_prefix_and_typo(index: SearchIndex) -> None:
    assert ids(index, "transf") == ["2", "4"]
    assert ids(index, "transfromer") == ["4", "2"]  # swapped letters; the closer word ranks first
    assert ids(index, "xylophone") == []


def test_all_words_must_match(index: SearchIndex) -> None:
    assert ids(index, "transformer arithmetic") == ["4"]
    assert ids(index, "weather") == ["1", "4"]
    assert ids(index, "weather circuits") == ["4"]


def test_phrase_field_and_byline(index: SearchIndex) -> None:
    assert ids(index, '"tidal priors"') == ["3"]
    assert ids(index, '"priors tidal"') == []
    assert ids(index, "title:weather") == ["1"]
    assert ids(index, "by:hopper") == ["3"]
    assert ids(index, "abs:storms") == ["1"]


def test_flags_and_scope(index: SearchIndex) -> None:
    read = {"1"}
    assert ids(index, "is:unread", is_read=read.__contains__) == ["2", "3", "4"]
    assert ids(index, "is:queued transformer", is_queued={"4"}.__contains__) == ["4"]
    assert ids(index, "weather", scope=["4", "3"]) == ["4"]


def test_typing_one_letter_more_narrows_from_the_cache(index: SearchIndex) -> None:
    for prefix in ("sto", "stor", "storm", "storms"):
        assert "1" in ids(index, prefix)


def test_cancelled_search_raises(index: SearchIndex) -> None:
    with pytest.raises(Cancelled):
        index.search(parse_query("weather"), cancelled=lambda: True)


def test_highlight_spans_and_query_parsing() -> None:
    assert highlight_spans("Diffusion Models", ("diff",)) == [(0, 4)]
    q = parse_query('title:foo "bar baz" is:unread odd:thing')
    assert [(t.text, t.field, t.exact) for t in q.terms] == [
        ("foo", "title", False),
        ("bar baz", "any", True),
        ("odd", "any", False),
        ("thing", "any", False),
    ]
    assert q.flags == {"unread"}
    assert parse_query("").empty


def test_entry_matches() -> None:
    q = parse_query("tidal prot")
    assert entry_matches(q, "Protein Folding with Tidal Priors", "", "")
    assert not entry_matches(parse_query("weather"), "Protein Folding", "", "")


def test_a_shared_suffix_is_not_a_typo() -> None:
    index = SearchIndex([Paper("1", "Diffusion Policies"), Paper("2", "Late Fusion of Sensors"), Paper("3", "Difusion typo title")])
    assert ids(index, "diffusion") == ["1", "3"]  # "fusion" is shorter by three letters: no match
    assert ids(index, "title:diffusion") == ["1", "3"]


def test_negation_leaves_papers_out(index: SearchIndex) -> None:
    assert ids(index, "transformer -arithmetic") == ["2"]
    assert ids(index, "-weather") == ["2", "3"]  # only exclusions: from every paper
    assert ids(index, '-"tidal priors" -title:transformer') == ["1"]
    assert entry_matches(parse_query("-weather"), "Protein Folding", "", "")
    assert not entry_matches(parse_query("-protein"), "Protein Folding", "", "")


def test_queue_matching_follows_the_index_rules() -> None:
    assert entry_matches(parse_query("membership"), "Membership Inference", "", "")
    assert entry_matches(parse_query("membreship"), "Membership Inference", "", "")  # a typo
    assert not entry_matches(parse_query("membership"), "Gradient Descent Remembers Where It Has Been", "", "")
    assert entry_matches(parse_query("by:hopper"), "X", "Grace Hopper", "")
    assert not entry_matches(parse_query("title:hopper"), "X", "Grace Hopper", "")


def test_accents_fold_both_ways_and_typos_are_forgiven_in_abstracts() -> None:
    papers = [
        Paper("1", "Massive Stars", authors=("Yaël Nazé",), abstract="A résumé of the magnetic field survey."),
        Paper("2", "Quiet Stars", authors=("Yael Naze",), abstract="Nothing about spectroscopy here."),
        Paper("3", "Other", authors=("Grace Hopper",), abstract="We measure the spectroskopy of cool dwarfs."),
    ]
    index = SearchIndex(papers)
    assert ids(index, "by:naze") == ["1", "2"]
    assert ids(index, "by:nazé") == ["1", "2"]
    assert ids(index, "resume") == ["1"]
    assert ids(index, '"magnetic field"') == ["1"]
    assert set(ids(index, "spectroscopy")) == {"2", "3"}  # "spectroskopy" is a typo in an abstract
    assert ids(index, "abs:spectrum") == []  # a different word, not a typo
    assert entry_matches(parse_query("spectroscopy"), "Other", "", "We measure the spectroskopy.")
    assert entry_matches(parse_query("by:naze resume"), "Massive Stars", "Yaël Nazé", "A résumé.")
    assert highlight_spans("Yaël Nazé", ("naze",)) == [(5, 9)]


def test_flags_negate_and_errors_are_reported_not_searched() -> None:
    index = SearchIndex([Paper("1", "Alpha"), Paper("2", "Beta"), Paper("3", "Gamma")])
    read, queued = {"1"}, {"2"}
    def run(q: str) -> list[str]:
        return index.search(parse_query(q), is_read=read.__contains__, is_queued=queued.__contains__).ids
    assert run("-is:queued") == ["1", "3"]
    assert run("-is:read") == ["2", "3"]
    assert run("is:unread -is:queued") == ["3"]
    q = parse_query("is:starred alpha")
    assert q.error and "is:starred" in q.error and [t.text for t in q.terms] == ["alpha"]
    assert "title:" in (parse_query("title:").error or "")
    assert parse_query("by: x").error
    assert parse_query("arxiv:2601").error is None  # not a field: a word as typed
    for lone in ("-", "- ", '"', "-\"\"", "--"):
        q = parse_query(lone)
        assert q.error is None and q.empty, lone
        assert run(lone) == ["1", "2", "3"]


def test_ranking_is_title_matches_then_score_then_index_order() -> None:
    """`_ranked` (numpy) orders as the plain rule does, ties included."""
    import random

    rng = random.Random(5)
    index = SearchIndex([Paper(str(i), f"Paper {i}") for i in range(300)])
    for _ in range(50):
        total = {i: float(rng.choice([1, 2, 3, 100, 150.5])) for i in rng.sample(range(300), rng.randint(1, 120))}
        title_all = {i for i in total if rng.random() < 0.3}
        expected = sorted(total, key=lambda i: (i not in title_all, -total[i], i))
        scores, titled = np.zeros(300), np.zeros(300, dtype=bool)
        scores[list(total)] = list(total.values())
        titled[list(title_all)] = True
        assert index._ranked(np.array(sorted(total)), scores, titled).tolist() == expected
    assert index._ranked(np.array([], dtype=np.int64), np.zeros(300), np.zeros(300, dtype=bool)).tolist() == []
    assert [p.id for p in index.search(parse_query("paper")).papers or []] == [str(i) for i in range(300)]


def test_a_picked_view_reads_like_the_list_it_stands_for() -> None:
    from tui.picked import Picked

    items = [f"p{i}" for i in range(10_000)]
    at = np.array([5, 3, 9_999, 0, 4_096, 4_097] + list(range(100, 9_000, 7)), dtype=np.int64)
    view = Picked(items, at)
    plain = [items[i] for i in at.tolist()]
    assert len(view) == len(plain) and list(view) == plain and view == plain
    assert view[0] == "p5" and view[-1] == plain[-1] and view[2:5] == plain[2:5]
    assert list(reversed(view)) == plain[::-1] and view.index("p9999") == 2 and "p4096" in view
    assert view != plain[:-1] and Picked(items, at[:0]) == []
