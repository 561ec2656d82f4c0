"""The abstract word index answers exactly what a substring scan answers, and search agrees with or without it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tui.wordindex as wordindex
from tests.conftest import shared_path
from tui.query import fold
from tui.search import SearchIndex, parse_query
from tui.store import Store
from tui.wordindex import WordIndex, indexable

TEXTS = [
    "we study quantization of transformers",
    "",
    "Quantum  error-correcting codes; o(1) overhead",
    "café au lait: a naïve model\x00with a NUL",
    "日本語のテキスト and a transformer",
    "quantization quantization quantization",
]


def scan(texts: list[str], word: str) -> list[int]:
    return [i for i, t in enumerate(texts) if word in t]


def test_hits_are_the_abstracts_containing_the_word() -> None:
    texts = [fold(t) for t in TEXTS]
    index = WordIndex.build(texts)
    for word in ("quant", "quantization", "transformer", "former", "o", "1", "naïve", "caf", "nul", "日本", "zzz", "with"):
        assert index.hits(word).tolist() == scan(texts, word), word
    assert index.hits("quant").tolist() == [0, 2, 5]
    assert index.hits("").tolist() == []


def test_only_words_go_to_the_index() -> None:
    assert indexable("quant") and indexable("o1") and indexable("naïve")
    assert not indexable("o(1)") and not indexable("error-correcting") and not indexable("a b") and not indexable("")


def test_papers_across_many_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunk boundaries (and steps inside a chunk) lose no paper and invent none."""
    monkeypatch.setattr(wordindex, "CHUNK", 7)
    monkeypatch.setattr(wordindex, "STEP", 3)
    texts = [f"paper {i} word{i % 5} " + ("shared " if i % 3 == 0 else "") for i in range(50)]
    index = WordIndex.build(texts)
    for word in ("shared", "word3", "paper", "word", "1", "49"):
        assert index.hits(word).tolist() == scan(texts, word), word


def test_build_can_be_stopped_between_steps() -> None:
    calls = []

    def step() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        WordIndex.build(["a"] * 600, step)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.text(alphabet="abcé _-.\n0Ωß", max_size=30), max_size=12),
       word=st.text(alphabet="abcé_0Ωß", min_size=1, max_size=4))
def test_same_answer_as_a_scan_for_any_text(texts: list[str], word: str) -> None:
    assert WordIndex.build(texts).hits(word).tolist() == scan(texts, word)


QUERIES = [
    "quantization", "transformer", "diffusion model", "quant", "qua", "robust -transformer", "abs:model",
    "abs:tensor -quantization", "transfromer", '"in this"', "zzzq", "o(1)", "-model", "graph neural net",
    # phrases and words with punctuation: the index gives candidates, the text decides
    '"of the"', 'abs:"in this"', '"ion mod"', "physics-informed", "state-of-the-art", "abs:o(1)", '-"of the"',
]


def _both(papers) -> tuple[SearchIndex, SearchIndex]:
    plain, indexed = SearchIndex(papers), SearchIndex(papers)
    indexed.prepare_words()
    assert indexed.words is not None and plain.words is None
    return plain, indexed


def test_search_with_the_index_ranks_as_the_scan_does(tmp_path) -> None:
    from benchmarks import synth

    synth.generate(tmp_path, "arxiv-email", days=12, papers_per_day=40, seed=3)
    store = Store()
    store.load([tmp_path])
    papers = [store.papers[i] for i in store.all_ids()]
    plain, indexed = _both(papers)
    for q in QUERIES:
        query = parse_query(q)
        assert indexed.search(query).ids == plain.search(query).ids, q
    assert indexed.search(parse_query("quantization")).ids  # the queries do find papers


def test_search_with_the_index_on_every_shared_digest() -> None:
    store = Store()
    store.load([shared_path("seeds"), shared_path("realdata")])
    papers = [store.papers[i] for i in store.all_ids()]
    plain, indexed = _both(papers)
    for q in QUERIES + ["learning", "lang", "model -language", "abs:reinforcement", "guillory", "neur"]:
        query = parse_query(q)
        assert indexed.search(query).ids == plain.search(query).ids, q
