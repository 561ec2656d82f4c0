"""Pooled abstracts read back exactly as given, and a pooled Paper behaves like any other."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model import Paper
from tui.query import fold
from tui.search import SearchIndex, parse_query
from tui.textpool import POOL, PooledPaper, pool_abstracts, restore, split

SAMPLES = [
    "We Propose LoRA-X, a Method for GPT-4 Alignment.",
    "all lower case already",
    "",
    "Ünïcödé Ärger with ΣΊΣΥΦΟΣ and Nazé",  # folding strips the accents, one letter for one
    "Straße",  # casefold lengthens it: stays a plain string
    "A" * 70_000,  # too long for 16-bit offsets: plain too
]


def test_split_and_restore_round_trip() -> None:
    for text in SAMPLES:
        parts = split(text)
        if parts is None:
            assert len(fold(text)) != len(text) or len(text) > 0xFFFF
            continue
        folded, pos, chars = parts
        assert folded == fold(text) and len(chars) == len(pos)
        assert restore(folded, pos, chars) == text


@given(st.text())
def test_any_text_round_trips(text: str) -> None:
    parts = split(text)
    if parts is not None:
        assert restore(*parts) == text
        i = POOL.add_folded(*parts)
        assert POOL.text(i) == text and POOL.folded[i] == fold(text)


def test_pooled_papers_keep_their_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.textpool.POOL_MIN_PAPERS", 0)
    papers = [Paper(id=f"2601.{i:05d}", title=f"Title {i}", abstract=t) for i, t in enumerate(SAMPLES)]
    folded = pool_abstracts(papers)
    assert folded == [fold(t) for t in SAMPLES]
    for paper, text in zip(papers, SAMPLES):
        assert paper.abstract == text and isinstance(paper, Paper)
    assert type(papers[0]) is PooledPaper
    # Pooling twice is free and changes nothing; the folded strings are the pool's own.
    assert pool_abstracts(papers) == folded and pool_abstracts(papers)[0] is folded[0]
    # Writing a str puts it back on plain storage; dataclass helpers see plain text.
    papers[0].abstract = "Replaced Text"
    assert papers[0].abstract == "Replaced Text"
    assert dataclasses.replace(papers[1]).abstract == SAMPLES[1]
    assert dataclasses.asdict(papers[2])["abstract"] == SAMPLES[2]


def test_search_finds_pooled_abstracts_case_and_accent_blind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.textpool.POOL_MIN_PAPERS", 0)
    papers = [Paper(id="2601.00001", title="One", abstract="A LoRA Adapter for Transformers by Nazé"),
              Paper(id="2601.00002", title="Two", abstract="nothing here")]
    index = SearchIndex(papers)
    assert index.search(parse_query("abs:lora")).ids == ["2601.00001"]
    assert index.search(parse_query('"adapter for"')).ids == ["2601.00001"]
    assert index.search(parse_query("abs:naze")).ids == ["2601.00001"]
    assert papers[0].abstract == "A LoRA Adapter for Transformers by Nazé" and type(papers[0]) is PooledPaper


def test_a_small_corpus_is_folded_not_pooled() -> None:
    papers = [Paper(id="2601.00001", title="One", abstract="Some Abstract")]
    assert pool_abstracts(papers) == ["some abstract"] and type(papers[0]) is Paper


def test_case_fixes_read_back_across_chunks_of_joined_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries in full chunks (characters joined) and in the chunk being filled read back alike."""
    import tui.textpool as textpool

    monkeypatch.setattr(textpool, "CHARS_CHUNK", 3)
    pool = textpool.AbstractPool()
    texts = [f"Abstract {n} By ÉMILE and Zoë, ÅNGSTRÖM" + "X" * n for n in range(11)] + ["", "plain"]
    at = [pool.add(t) for t in texts]
    assert [pool.text(i) for i in at if i is not None] == [t for t, i in zip(texts, at, strict=True) if i is not None]
    assert len(pool._chars) == 4 and len(pool._filling) == 1
    with pytest.raises(ValueError):
        pool.add_folded("ab", [0, 1], "A")
