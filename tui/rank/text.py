"""Words for the "for you" model: what a paper's text, categories and authors are made of.

Plain Python (no numpy), so the reader can import it anywhere. Kept deliberately simple and
language-agnostic beyond English stop words: lower-case ASCII words (hyphenated compounds stay
one word, "self-supervised"), English and paper-boilerplate stop words dropped, and plurals
folded ("transformers" -> "transformer") so two papers that say the same thing in singular and
plural still share the term. The same functions tokenise the corpus and the explanations, so a
term shown to the user is exactly a term the model used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# English function words plus words every abstract uses ("we propose a novel method ...", "code
# is available at https://github.com/..."), LaTeX command names that leak into abstracts and the
# pieces of URLs. Idf would down-weight most of them anyway; dropping
# them keeps the index smaller and the explanations free of noise.
STOP_WORDS = frozenset(
    """
    a about above across after again against all almost along also although am among an and any are
    around as at be became because been before being below between both but by can cannot could did
    do does doing done down due during each either else enough especially etc even ever every few for
    from further furthermore had has have having he her here hers him his how however i if in into is
    it its itself just least less let like made mainly make makes many may me might more moreover most
    much must my namely near neither no nor not now of off often on once one only onto or other others
    otherwise our ours out over own per perhaps rather same several shall she should show shown shows
    since so some such than that the their theirs them themselves then there thereby therefore these
    they this those though three through thus to together too toward towards two under until up upon
    us use used uses using via was we well were what whatever when where whereas whether which while
    who whom whose why will with within without would yet you your
    paper propose proposed proposes present presents presented introduce introduces introduced novel
    approach approaches method methods result results demonstrate demonstrates achieve achieves
    based new work existing recent recently study studies first significantly significant
    mathcal mathbf mathrm textit textbf emph frac cite eg ie et al arxiv
    http https www com org net edu io html github available code
    """.split()
)


_NOT_PLURAL = ("ss", "us", "is", "ias", "ics", "ous")
_KEEP = frozenset("gas lens news series species canvas atlas alias whereas".split())


def fold(word: str) -> str:
    """Fold a plural to its singular ("policies" -> "policy", "models" -> "model"); conservative on
    purpose: "loss", "corpus", "analysis", "bias", "robotics", "various" are left alone."""
    if len(word) > 4 and word.endswith("ies") and word not in _KEEP:
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL) and word not in _KEEP:
        return word[:-1]
    return word


class _Terms(dict[str, str]):
    """Raw word -> term ("" for a stop word), filled on first sight: a corpus repeats the same few
    tens of thousands of words, so each is folded once and every later sighting is one C lookup."""

    LIMIT = 50_000  # distinct words remembered (~6 MB); Zipf: the first 50k seen cover nearly every token

    def __missing__(self, chunk: str) -> str:
        if not _WORD.fullmatch(chunk):  # "-x", "2d", "gpu-" or non-ASCII letters: its one clean word
            parts = _WORD.findall(chunk.strip("-"))
            word = parts[0] if len(parts) == 1 else ""
        else:
            word = chunk
        term = "" if len(word) < 2 or word in STOP_WORDS else fold(word)
        if len(self) < self.LIMIT:
            self[chunk] = term
        return term


_TERMS = _Terms()


# Everything but ASCII letters, digits and hyphens (plus common Unicode punctuation) splits words:
# str.translate + str.split run in C, several times faster than a regex over every abstract.
_SEPARATORS = [chr(i) for i in range(128) if not (chr(i).isalnum() or chr(i) == "-")]
_SEPARATORS += list("\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u00d7\u00a0")  # dashes, quotes, …, ·, ×, nbsp
_SPLIT = str.maketrans(dict.fromkeys(_SEPARATORS, " "))


def words(text: str) -> list[str]:
    """The model's terms of a text, in order, duplicates kept (their count is the term frequency)."""
    return list(filter(None, map(_TERMS.__getitem__, text.lower().translate(_SPLIT).split())))


def paper_words(title: str, abstract: str) -> list[str]:
    """Title and abstract terms (a replaced arXiv entry has no abstract: its title alone)."""
    return words(f"{title}\n{abstract}" if abstract else title)


def category_terms(categories: Iterable[str]) -> list[str]:
    """Each arXiv category once ("cs.LG"), case kept: categories are labels, not words."""
    return list(dict.fromkeys(c.strip() for c in categories if c and c.strip()))


def author_terms(authors: Iterable[str]) -> list[str]:
    """Each author once, by normalised name, so "Jane  Doe" and "jane doe" are one person."""
    return list(dict.fromkeys(" ".join(a.casefold().split()) for a in authors if a and a.strip()))
