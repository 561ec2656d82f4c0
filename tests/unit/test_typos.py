"""The typo vocabulary: the same words by length whichever way it is built, a short step at a time."""

from __future__ import annotations

import random
import re
import string

import pytest

import tui.typos as typos
from tui.typos import AbstractVocabulary
from tui.wordindex import WordIndex


def reference(texts: list[str]) -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for w in sorted(set(re.findall(r"[^\W\d_]{3,}", "\n".join(texts)))):
        by_length.setdefault(len(w), []).append(w)
    return by_length


def abstracts() -> list[str]:
    rng = random.Random(4)
    words = ["".join(rng.choice(string.ascii_lowercase + "é1_") for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    return [" ".join(rng.sample(words, 25)) + ", naïve o(1) state-of-the-art." for _ in range(700)]


@pytest.mark.parametrize("with_index", [False, True])
def test_built_in_small_steps_it_is_the_plain_vocabulary(with_index: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typos, "SLICE", 37)  # many slices: words must not be cut between two
    texts = abstracts()
    index = WordIndex.build(texts) if with_index else None
    vocab = AbstractVocabulary(texts, lambda: index)
    steps = 0
    while (done := vocab._step()) is None:
        steps += 1
    assert done == reference(texts) and steps > 20
    assert vocab.typos("naive", lambda: None) == ["naïve"]


def test_the_index_arriving_midway_is_used_and_nothing_is_lost() -> None:
    texts = abstracts()
    holder: list[WordIndex | None] = [None]
    vocab = AbstractVocabulary(texts, lambda: holder[0])
    assert vocab._step() is None  # a first slice read from the abstracts
    holder[0] = WordIndex.build(texts)
    assert vocab.ready(lambda: None) == reference(texts)
