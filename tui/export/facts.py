"""What every export format needs to know about a queued paper, worked out once.

Dates come from the arXiv id (the month of the first version), because `published` in a digest of
replaced papers is the replacement's day. Author lists are cleaned of what is not a person
(`:` from an Atom feed, a trailing `et al.` that marks a truncated list), and organisations are
told apart from people so no format splits "LSST Dark Energy Science Collaboration" into names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tui.links import safe_url
from tui.queue import QueueEntry

_NEW_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_OLD_ID = re.compile(r"[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/(\d{2})(\d{2})\d{3}")
_ETAL = re.compile(r"(?i)^(?:et\.?\s*al\.?|and\s+others|others|\.\.\.|…)$")
_ORG_WORDS = re.compile(
    r"(?i)\b(?:collaborations?|consortium|team|group|lab|labs|laborator(?:y|ies)|institute|university|"
    r"inc|ltd|llc|gmbh|corp(?:oration)?|company|project|committee|association|society|foundation|"
    r"cent(?:er|re)|organi[sz]ation|initiative|network|council|observatory|survey|alliance|academy|"
    r"department|school|research|community|contributors|authors)\b"
)


@dataclass(frozen=True, slots=True)
class Author:
    """One name as it should be cited: a person (`given`, `family`) or an organisation (`literal`)."""

    name: str
    is_org: bool
    given: str = ""
    family: str = ""


def arxiv_month(aid: str | None) -> tuple[int, int] | None:
    """(year, month) of an arXiv id's first version: `2503.03592` -> (2025, 3), `hep-th/9901001` -> (1999, 1)."""
    if not aid:
        return None
    m = _NEW_ID.fullmatch(aid) or _OLD_ID.fullmatch(aid)
    if not m:
        return None
    yy, mm = int(m.group(1)), int(m.group(2))
    if not 1 <= mm <= 12:
        return None
    year = 2000 + yy if (m.re is _NEW_ID or yy < 91) else 1900 + yy
    return year, mm


def issued(e: QueueEntry) -> tuple[int, ...] | None:
    """Year, month and (when trustworthy) day the paper first appeared: (2025, 3) or (2026, 1, 19).

    For arXiv papers the id decides; `published` only adds its day when it falls in that month.
    Other papers use `published`, else the date of the digest they were queued from.
    """
    ym = arxiv_month(e.arxiv_id)
    if ym is not None:
        p = e.published
        return (*ym, p.day) if p and (p.year, p.month) == ym else ym
    day: date | None = e.published or (e.source.date if e.source else None)
    return (day.year, day.month, day.day) if day else None


def doi(e: QueueEntry) -> str | None:
    """The DOI arXiv's DataCite registration gives every paper: `10.48550/arXiv.<id>`."""
    aid = e.arxiv_id
    return f"10.48550/arXiv.{aid}" if aid and arxiv_month(aid) else None


def url(e: QueueEntry) -> str | None:
    """The link to cite: the arXiv abstract page, else the entry's best safe link."""
    aid = e.arxiv_id
    if aid and arxiv_month(aid):
        return f"https://arxiv.org/abs/{aid}"
    for name in ("arxiv", "pdf", "hf", "github", "project"):
        if safe_url(e.links.get(name)):
            return e.links[name]
    return next((u for u in e.links.values() if safe_url(u)), None)


def primary_class(e: QueueEntry) -> str | None:
    """The first category when it looks like an arXiv category (`cs.LG`, `hep-th`)."""
    if e.categories and re.fullmatch(r"[a-z][a-z\-]*(?:\.[A-Za-z\-]+)?", e.categories[0]):
        return e.categories[0]
    return None


def split_name(name: str) -> tuple[str, str]:
    """(given, family) for a person's name as digests write it, split the way BibTeX splits it.

    "Family, Given" is honoured; otherwise the family name starts at the first lower-case word
    after the first ("Ruud van Sloun" -> "van Sloun", "Mariano de León Romero" -> "de León Romero"),
    else it is the last word.
    """
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    words = name.split()
    if len(words) <= 1:
        return "", name.strip()
    start = next((i for i in range(1, len(words) - 1) if words[i][:1].islower()), len(words) - 1)
    return " ".join(words[:start]), " ".join(words[start:])


def is_organisation(name: str) -> bool:
    """A name to keep whole: an organisation word (`Collaboration`, `Team`, `Lab`...), `and` or `&`
    inside, or a digit (`The CMB-S4 Collaboration`)."""
    if _ORG_WORDS.search(name) or re.search(r"\band\b|&", name, re.IGNORECASE):
        return True
    return bool(re.search(r"\d", name))


def authors(e: QueueEntry) -> tuple[list[Author], bool]:
    """The citable names and whether the list was truncated (it ended in `et al.`)."""
    out: list[Author] = []
    truncated = False
    for raw in e.authors:
        name = " ".join(raw.split()).strip(" ,;")
        if _ETAL.match(name):
            truncated = True
            continue
        if not any(ch.isalpha() for ch in name):  # ':' from an Atom feed, stray punctuation
            continue
        if is_organisation(name):
            out.append(Author(name, True))
        else:
            given, family = split_name(name)
            out.append(Author(name, False, given, family))
    return out, truncated


STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from has have how in into is it its of on or our over the their "
    "this to toward towards via we what when where which who why with without you your all not".split()
)


# Letters Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE",
                       "œ": "oe", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "ı": "i", "Ð": "D", "ð": "d"})


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits only: `Müller-Łódź` -> `mullerlodz`."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def title_words(title: str, n: int) -> list[str]:
    """The first `n` title words that are not stop words, with maths and LaTeX commands left out."""
    plain = re.sub(r"\$[^$]*\$|\\[A-Za-z]+", " ", title)
    words = [ascii_word(w) for w in re.split(r"[\s/]+", plain)]
    return [w for w in words if w and w not in STOP_WORDS][:n]


def base_key(e: QueueEntry) -> str:
    """arXiv's current key style: first author's family name + year + first four title words.

    `eger2023nllgquarterlyarxivreport`. Without author names the title words come first and the
    year after the first one (`widgets2025sparsemodels`), so the key still reads as the paper.
    """
    names, _ = authors(e)
    when = issued(e)
    year = str(when[0]) if when else ""
    words = title_words(e.title, 4)
    who = ""
    if names:
        first = names[0]
        who = ascii_word(first.name.split()[0] if first.is_org else (first.family.split()[-1] if first.family else first.name))
    if who:
        key = f"{who}{year}{''.join(words)}"
    elif words:
        key = f"{words[0]}{year}{''.join(words[1:])}"
    else:
        key = ""
    return key if re.match(r"[a-z]", key) else f"paper{year}{ascii_word(e.id)}"


def keys(entries: list[QueueEntry]) -> list[str]:
    """Unique keys, one per entry. When stems collide, the entry with the smaller id keeps the
    bare stem and the others get `b`, `c`, ... in id order, so reordering the queue keeps them."""
    stems = [base_key(e) for e in entries]
    by_stem: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        by_stem.setdefault(stem, []).append(i)
    out = list(stems)
    taken = set(stems)
    for stem, idx in by_stem.items():
        if len(idx) < 2:
            continue
        n = 0
        for i in sorted(idx, key=lambda j: entries[j].id)[1:]:
            candidate = stem
            while candidate in taken:  # `stem` + `b` may itself be another paper's stem
                n += 1
                candidate = f"{stem}{_suffix(n)}"
            taken.add(candidate)
            out[i] = candidate
    return out


def _suffix(n: int) -> str:
    """1 -> b, 2 -> c, ..., 24 -> y, 25 -> z, 26 -> ba: the second key with a stem gets `b`."""
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[r] + letters
        if not n:
            return letters
