"""The data model: papers, digests and diagnostics.

Plain Python with no UI imports, so the parsers, the store, the CLI and the tests share one
vocabulary. Every text field is already sanitised (see `tui.sanitize`) when a Paper is built.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from datetime import date as Date  # for annotations after the field named `date`
from enum import Enum
from pathlib import Path


class Kind(str, Enum):
    """How a paper appeared in its digest (arXiv distinguishes these; HF papers are all new)."""

    NEW = "new"
    CROSS_LIST = "cross-list"
    REPLACED = "replaced"


class Format(str, Enum):
    """Digest formats papertray reads; the value is what `check --json` prints."""

    HF_TEXT = "hf-text"
    HF_JSON = "hf-json"
    ARXIV_EMAIL = "arxiv-email"
    ARXIV_ATOM = "arxiv-atom"
    ARXIV_RSS = "arxiv-rss"


@dataclass(slots=True, frozen=True)
class Diagnostic:
    """One problem found while reading a file: what is wrong and where (1-based line, or None)."""

    level: str  # "error" (file or entry skipped) or "warning" (loaded, but something was odd)
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.level}: {where}{self.message}"


# Link names used across parsers, in the order the UI shows them.
LINK_ORDER = ("arxiv", "pdf", "hf", "github", "project")
# English month names, whatever the locale: digests are written in English.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(slots=True, eq=False)
class Paper:
    """A paper as read from a digest.

    `id` is the arXiv id (without version) when known, else `title:` plus a hash of the
    normalised title, so the same paper seen in two digests becomes one entry in the store.
    """

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    organization: str | None = None
    published: date | None = None
    upvotes: int | None = None
    categories: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)
    kind: Kind = Kind.NEW
    comments: str | None = None  # arXiv "Comments:" field, e.g. "15 pages, 1 figure"
    num_comments: int | None = None  # HF discussion count
    # Filled by the Store: every digest this paper appeared in, in load order.
    digests: list["Digest"] = field(default_factory=list)

    @property
    def byline(self) -> str:
        """Short author line for lists: names when known, else a count, else the organisation."""
        if self.authors:
            if len(self.authors) <= 2:
                return ", ".join(self.authors)
            return f"{self.authors[0]} et al."
        if self.author_count is not None:
            return f"{self.author_count} author{'s' if self.author_count != 1 else ''}"
        return self.organization or ""

    @property
    def url(self) -> str | None:
        """The best single link for "open in browser": arXiv abs, else HF, else any."""
        for name in LINK_ORDER:
            if name in self.links:
                return self.links[name]
        return next(iter(self.links.values()), None)


@dataclass(slots=True, eq=False)
class Digest:
    """One digest file: its format, its day (or range) and its papers in file order."""

    path: Path
    format: Format | None
    date: date | None = None
    date_start: Date | None = None  # first day of a range (arXiv e-mail "received from ... to ...")
    paper_ids: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """A file fails when it yielded an error and no papers."""
        return not self.paper_ids and any(d.level == "error" for d in self.diagnostics)

    def warn(self, message: str, line: int | None = None) -> None:
        self.diagnostics.append(Diagnostic("warning", message, line))

    def error(self, message: str, line: int | None = None) -> None:
        self.diagnostics.append(Diagnostic("error", message, line))


@dataclass(slots=True)
class ParseResult:
    """What a parser returns: the digest (with diagnostics) and its papers in file order."""

    digest: Digest
    papers: list[Paper]

    @property
    def is_digest(self) -> bool:
        """A digest (a format was recognised, or papers found), not a skipped or failed file."""
        return bool(self.papers) or self.digest.format is not None


_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_ARXIV_OLD = re.compile(r"\b([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
_WORDS = re.compile(r"[^\W_]+")


def arxiv_id(text: str) -> str | None:
    """Extract an arXiv id (new `2601.15305` or old `math/0601001` style), without version."""
    m = _ARXIV_NEW.search(text)
    if m:
        return m.group(1)
    m = _ARXIV_OLD.search(text)
    return m.group(1) if m else None


def normalise_title(title: str) -> str:
    """Lower-case words only: the key two digests must agree on to call titles the same."""
    return " ".join(_WORDS.findall(title.casefold()))


def title_id(title: str) -> str:
    """Stable id for a paper whose arXiv id is unknown: a hash of its normalised title."""
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]
    return f"title:{digest}"


def arxiv_links(aid: str) -> dict[str, str]:
    """The abs and pdf links every arXiv paper has."""
    return {"arxiv": f"https://arxiv.org/abs/{aid}", "pdf": f"https://arxiv.org/pdf/{aid}"}


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as text that is always valid UTF-8, for output and for user data (queue sources).

    A file name that is not UTF-8 reaches Python with its bad bytes as lone surrogates; those
    bytes are written `\\xNN` (backslash, x, two hex digits): `caf\\xe9.txt` for Latin-1 `café.txt`.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text
