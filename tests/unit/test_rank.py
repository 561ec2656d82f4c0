"""The "for you" model on small invented corpora: what it learns, how it falls back, how it explains."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest

from tui.rank import Example, from_papers, from_queue
from tui.rank.examples import entry_weight
from tui.rank.index import Block
from tui.rank.ranker import NO_OVERLAP, NOTHING_QUEUED, Ranker
from tui.rank.text import author_terms, category_terms, fold, words


@dataclass
class P:
    id: str
    title: str
    abstract: str = ""
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()


@dataclass
class Entry:
    id: str
    title: str
    abstract: str = ""
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    status: str = "to-read"
    note: str = ""


COOK = [
    P("c1", "Slow braising of beef shoulder", "Braising beef in wine and stock for hours softens collagen.", ("food.MEAT",)),
    P("c2", "Sourdough starters and bread crumb",
      "Wild yeast in a sourdough starter leavens bread; crumb depends on hydration.", ("food.BAKE",)),
    P("c3", "Braised lamb with wine", "Lamb shoulder braised in red wine and stock until tender.", ("food.MEAT",)),
    P("c4", "Bread hydration and oven spring", "Higher dough hydration gives an open crumb and more oven spring in bread.", ("food.BAKE",)),
]
SPACE = [
    P("s1", "Spectra of distant galaxies", "We measure redshifts of galaxies from their spectra with a new telescope.", ("astro.GA",)),
    P("s2", "Telescope mirrors for galaxy surveys", "Segmented mirrors let a survey telescope image faint galaxies.", ("astro.IM",)),
    P("s3", "Dark matter halos around galaxies", "Galaxy rotation curves trace dark matter halos.", ("astro.GA",)),
]
CORPUS = COOK + SPACE


def ranker(papers=CORPUS) -> Ranker:
    r = Ranker()
    r.add_papers(papers)
    return r


def ids(papers) -> list[str]:
    return [p.id for p in papers]


# -- words -----------------------------------------------------------------------------------------


def test_words_drop_stop_words_fold_plurals_and_keep_compounds() -> None:
    assert words("We propose Transformers for the Self-Supervised policies of galaxies") == [
        "transformer", "self-supervised", "policy", "galaxy",
    ]
    for word in ("loss", "corpus", "analysis", "bias", "robotics", "various", "series", "lens"):
        assert fold(word) == word
    assert words("[bold]x[/] \x1b[31m") == ["bold"]  # markup and escapes are just characters


def test_category_and_author_terms_are_deduplicated_labels() -> None:
    assert category_terms(["cs.LG", "cs.AI", "cs.LG", " "]) == ["cs.LG", "cs.AI"]
    assert author_terms(["Jane  Doe", "jane doe", "Ann Lee"]) == ["jane doe", "ann lee"]


# -- the order --------------------------------------------------------------------------------------


def test_nothing_queued_falls_back_to_digest_order_with_a_reason() -> None:
    r = ranker()
    got = r.rank(ids(CORPUS))
    assert got.ids == ids(CORPUS) and not got.personalised and got.reason == NOTHING_QUEUED


def test_queued_topic_ranks_first_and_queued_papers_go_last() -> None:
    r = ranker()
    r.teach(from_papers([COOK[0]]))  # braised beef
    got = r.rank(ids(CORPUS))
    assert got.personalised
    assert got.ids[0] == "c3"  # braised lamb with wine: the nearest
    assert set(got.ids[:3]) == {"c3", "c2", "c4"}  # every food paper before any astronomy
    assert got.ids[-1] == "c1"  # the queued paper itself is already on the list
    assert got.scores["c3"] > got.scores["s1"]


def test_order_covers_exactly_the_given_ids_and_ties_keep_digest_order() -> None:
    r = ranker()
    r.teach(from_papers([COOK[0]]))
    view = ["s3", "s1", "c3", "s2"]
    got = r.rank(view)
    assert sorted(got.ids) == sorted(view)
    assert got.ids[0] == "c3"
    # The galaxy papers share nothing with braised beef except nothing: tied at 0, digest order kept.
    assert [i for i in got.ids if i.startswith("s")] == ["s3", "s1", "s2"]


def test_unknown_ids_in_the_view_go_after_the_scored_ones() -> None:
    r = ranker()
    r.teach(from_papers([COOK[0]]))
    got = r.rank(["zz", "s1", "c3"])
    assert got.ids == ["c3", "s1", "zz"] and "zz" not in got.scores


def test_no_shared_word_falls_back_with_a_reason() -> None:
    r = ranker()
    r.teach([Example("x", "Quantum chromodynamics on the lattice")])
    got = r.rank(ids(CORPUS))
    assert got.ids == ids(CORPUS) and got.reason == NO_OVERLAP


def test_a_queued_paper_from_another_day_still_teaches() -> None:
    r = ranker()
    r.teach([Example("old", "Galaxy redshift spectra", "Spectra of galaxies", ("astro.GA",))])
    got = r.rank(ids(CORPUS))
    assert got.ids[0] in {"s1", "s3"} and set(got.ids[:3]) == {"s1", "s2", "s3"}


def test_not_for_me_pushes_similar_papers_down_and_itself_last() -> None:
    papers = [
        P("a", "Diffusion models for medical images", "Diffusion models generate medical images of the lung."),
        P("b", "Diffusion models for art images", "Diffusion models generate art images and paintings."),
        P("m", "Medical lung scans", "Lung scans and medical images for diagnosis."),
        P("t", "Art paintings styles", "Paintings and art styles across centuries."),
        P("q", "Diffusion models images", "Diffusion models generate images."),
    ]
    r = ranker(papers)
    r.teach(from_papers([papers[4]]))
    before = r.rank(ids(papers))
    r.teach(from_papers([papers[4]]), from_papers([papers[1]]))
    after = r.rank(ids(papers))
    assert after.ids[-1] == "b" and after.ids[-2] == "q"
    assert after.ids.index("t") > after.ids.index("m")  # art now counts against
    assert after.scores["t"] < before.scores["t"] and after.scores["a"] > after.scores["t"]


def test_done_and_annotated_entries_weigh_more() -> None:
    assert entry_weight("to-read", "") == 1.0
    assert entry_weight("done", "") > entry_weight("reading", "") == 1.0
    assert entry_weight("to-read", "great") > 1.0 and entry_weight("done", "great") > entry_weight("done", "")
    beef, galaxy = COOK[0], SPACE[0]

    def entry(p: P, **kw: str) -> Entry:
        return Entry(p.id, p.title, p.abstract, p.categories, **kw)

    r = ranker()
    r.teach(from_queue([entry(beef, status="done"), entry(galaxy)]))
    assert r.rank(ids(CORPUS)).ids[0] == "c3"
    r.teach(from_queue([entry(beef), entry(galaxy, note="more of this")]))
    assert r.rank(ids(CORPUS)).ids[0] == "s3"


def test_papers_arriving_later_give_the_same_scores_as_indexing_at_once() -> None:
    at_once = ranker()
    grown = ranker(CORPUS[:3])
    assert grown.add_papers(CORPUS[2:]) == len(CORPUS) - 3  # c3 was already there
    for r in (at_once, grown):
        r.teach(from_papers([COOK[1]]))
    a, b = at_once.rank(ids(CORPUS)), grown.rank(ids(CORPUS))
    assert a.ids == b.ids
    assert all(a.scores[i] == pytest.approx(b.scores[i], abs=1e-6) for i in a.scores)


def test_teaching_the_same_examples_again_changes_nothing() -> None:
    r = ranker()
    assert r.teach(from_papers([COOK[0]])) is True
    assert r.teach(from_papers([COOK[0]])) is False
    assert r.teach(from_papers([COOK[1]])) is True


def test_papers_without_text_categories_or_authors_rank_without_error() -> None:
    papers = [P("e1", ""), P("e2", "Braised beef"), P("e3", ""), P("e4", "Beef stew")]
    r = ranker(papers)
    r.teach(from_papers([COOK[0]]))
    got = r.rank(["e1", "e2", "e3"])
    assert got.ids == ["e2", "e1", "e3"] and got.scores["e1"] == 0.0


# -- explanations -------------------------------------------------------------------------------------


def test_explanation_names_the_nearest_queued_papers_and_shared_terms() -> None:
    r = ranker()
    r.teach(from_papers([COOK[0], SPACE[0]]))
    why = r.explain("c3")
    assert why.status == "ranked" and why.score == pytest.approx(r.rank(ids(CORPUS)).scores["c3"])
    assert why.nearest[0].id == "c1"
    assert {"wine", "stock", "shoulder"} <= set(why.nearest[0].terms)
    assert "food.MEAT" in why.nearest[0].terms
    text = "\n".join(why.lines())
    assert "Slow braising of beef shoulder" in text and "wine" in text
    assert why.nearest[0].similarity > (why.nearest[1].similarity if len(why.nearest) > 1 else 0)


def test_explanation_for_queued_not_for_me_and_unranked_papers() -> None:
    r = ranker()
    assert r.explain("c1").status == "unranked"
    assert "nothing queued" in r.explain("c1").lines()[0]
    r.teach(from_papers([COOK[0]]), from_papers([SPACE[0]]))
    assert r.explain("c1").status == "queued"
    assert r.explain("s1").status == "not for me"
    assert r.explain("nope").status == "unknown"
    assert r.explain("s3").against and r.explain("s3").against[0].id == "s1"


def test_explanation_names_shared_authors() -> None:
    papers = [P("x", "Alpha", authors=("Jane Doe",)), P("y", "Beta", authors=("Jane Doe", "Ann Lee"))]
    r = ranker(papers)
    r.teach(from_papers([papers[0]]))
    assert "by jane doe" in r.explain("y").nearest[0].terms


# -- the index ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("small_passes", [False, True])
def test_block_counts_idf_and_norms_match_a_dense_computation(small_passes: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if small_passes:  # pass and chunk boundaries fall between, on and around empty rows
        monkeypatch.setattr("tui.rank.index.ROWS_PER_PASS", 2)
        monkeypatch.setattr("tui.rank.index.CHUNK_DOCS", 2)
    docs = [["a", "b", "a"], [], ["b", "c"], [], ["a"], []]
    block, rare_left_out = Block(1 << 10), Block(1 << 10, min_df=2)
    cols = [block.column(t) for t in "abc"]
    assert len(set(cols)) == 3, "hash collision in the test's tiny table: pick other letters"
    for b in (block, rare_left_out):
        b.append(docs[:2])
        b.append(docs[2:])
    dense = np.zeros((6, 3))
    for i, doc in enumerate(docs):
        for w in doc:
            dense[i, "abc".index(w)] += 1
    df = (dense > 0).sum(0)
    idf = np.log(7 / (1 + df)) + 1
    tfidf = dense * idf
    norms = np.sqrt((tfidf**2).sum(1))
    norms[norms == 0] = 1
    assert np.allclose(block.idf()[cols], idf) and np.allclose(block.norms(), norms)
    assert block.df.sum() == df.sum()  # no other column counts anything
    w = np.zeros(block.buckets, np.float32)
    w[cols] = [0.5, -1.0, 2.0]
    assert np.allclose(block.dot(w), dense @ np.array([0.5, -1.0, 2.0]))
    # "c" is in one document only: with min_df=2 it weighs nothing, in the norms too.
    idf[df < 2] = 0
    assert np.allclose(rare_left_out.idf()[cols], idf)
    norms2 = np.sqrt(((dense * idf) ** 2).sum(1))
    norms2[norms2 == 0] = 1
    assert np.allclose(rare_left_out.norms(), norms2)
    got, vals = rare_left_out.text_vector(["c", "a", "zzz"])  # only "a" is weighed
    assert list(got) == [cols[0]] and np.allclose(vals, [1.0])


def test_importing_the_package_does_not_import_numpy() -> None:
    code = "import sys, tui.rank, tui.rank.text, tui.rank.examples; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- the reader's service and the list's sort -------------------------------------------------------------


def test_for_you_service_orders_falls_back_and_explains_without_blocking() -> None:
    from tui.rank.live import ForYou

    live = ForYou()
    assert live.explain("c1") is None  # nothing built yet: never blocks, never imports numpy here
    order = live.update(CORPUS, ids(CORPUS), [], [])
    assert not order.personalised and order.reason == NOTHING_QUEUED and order.positions == {}
    order = live.update(CORPUS, ids(CORPUS), from_papers([COOK[0]]), [])
    assert order.personalised and order.positions["c3"] == 0 and order.positions["c1"] == len(CORPUS) - 1
    assert any("wine" in line for line in live.explain("c3") or [])
    late = P("c9", "Braised beef cheeks in wine", "Beef cheeks braised in red wine.", ("food.MEAT",))
    order = live.update([*CORPUS, late], [*ids(CORPUS), "c9"], from_papers([COOK[0]]), [])
    assert order.positions["c9"] < order.positions["s1"]  # a paper that arrived later is ranked too


def test_list_sort_for_you_follows_positions_and_keeps_order_without_them() -> None:
    from tui.listing import sort_papers

    papers = [COOK[0], COOK[1], SPACE[0]]
    assert sort_papers(papers, "for-you", None) == papers
    assert sort_papers(papers, "for-you", {}) == papers
    got = sort_papers(papers, "for-you", {"s1": 0, "c1": 1})  # c2 unknown: after the ranked ones
    assert [p.id for p in got] == ["s1", "c1", "c2"]
