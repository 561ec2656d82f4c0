"""Export queue entries for other tools: notes (Markdown), reference managers (BibTeX),
spreadsheets (CSV) and scripts (JSON).

`export(entries, fmt)` returns the text; the caller decides where it goes (clipboard, file,
stdout). Pure functions over `QueueEntry`, so the CLI and the UI share them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from tui.queue import QueueEntry

FORMATS = ("markdown", "bibtex", "csv", "json")


def export(entries: Iterable[QueueEntry], fmt: str) -> str:
    """All `entries`, in the given order, as one text in format `fmt` (one of `FORMATS`)."""
    writers: dict[str, Callable[[list[QueueEntry]], str]] = {
        "markdown": to_markdown,
        "bibtex": to_bibtex,
        "csv": to_csv,
        "json": to_json,
    }
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt](list(entries))


# --- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md_text(text: str) -> str:
    """Escape what would turn a title into markup (links, emphasis, HTML) in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    """A URL safe inside `(...)`: parentheses and spaces would end or break the link."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def to_markdown(entries: list[QueueEntry]) -> str:
    """A task list a person pastes into notes: `- [ ] [Title](url) — byline · date · status`.

    Done entries are ticked; a note follows as an indented quote.
    """
    lines: list[str] = []
    for e in entries:
        title = _md_text(e.title or e.id)
        head = f"[{title}]({_md_url(e.url)})" if e.url else title
        details = [d for d in (_md_text(e.byline), e.published.isoformat() if e.published else "", e.status) if d]
        box = "x" if e.status == "done" else " "
        lines.append(f"- [{box}] {head} — {' · '.join(details)}")
        for note_line in e.note.splitlines():
            lines.append(f"  > {_md_text(note_line)}".rstrip())
    return "\n".join(lines) + ("\n" if lines else "")


# --- BibTeX ---------------------------------------------------------------------------------

_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_SKIP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "towards", "toward", "is", "are", "do", "does", "can"}


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def bib_escape(text: str) -> str:
    """Text as a literal BibTeX field value: LaTeX specials escaped, braces kept balanced.

    BibTeX counts braces even after a backslash, so unbalanced ones become
    `\\textbraceleft{}`/`\\textbraceright{}` instead of `\\{`/`\\}`.
    """
    table = _BIB_ESCAPES
    if not _balanced(text):
        table = {**_BIB_ESCAPES, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
    return _BIB_SPECIAL.sub(lambda m: table[m.group()], " ".join(text.split()))


_LATEX = re.compile(r"\$|\\[A-Za-z]+")


def bib_title(text: str) -> str:
    """A title as BibTeX: arXiv titles are already LaTeX (`$\\mu$-distortion`, `\\texttt{X}`), so a
    title with maths or commands and balanced braces passes through as arXiv's own export does;
    any other title is escaped as literal text."""
    if _LATEX.search(text) and _balanced(text) and text.count("$") % 2 == 0:
        parts = re.split(r"(\$[^$]*\$)", " ".join(text.split()))
        # Outside maths, a bare % & # _ would break LaTeX: escape those (not already escaped ones).
        return "".join(p if p.startswith("$") else re.sub(r"(?<!\\)([%&#_])", r"\\\1", p) for p in parts)
    return bib_escape(text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _bib_key(e: QueueEntry) -> str:
    """arXiv-style key: first author's surname, year, first significant title word."""
    words = e.authors[0].split() if e.authors else []
    # A person's surname is the last word; an organisation ("X and Y Lab") is named by its first.
    surname = _ascii_word((words[0] if _is_group(e.authors[0]) else words[-1]) if words else "")
    plain_title = re.sub(r"\$[^$]*\$|\\[A-Za-z]+", " ", e.title)  # no `textit`/`mathrm` in keys
    words = [_ascii_word(w) for w in plain_title.split()]
    word = next((w for w in words if w and w not in _SKIP_WORDS), "")
    key = f"{surname}{e.year or ''}{word}"
    return key if key and not key.isdigit() else f"paper{_ascii_word(e.id)}"


def _is_group(name: str) -> bool:
    """Names BibTeX would split or reorder: `and` inside, or a comma (organisations, mostly)."""
    return "," in name or re.search(r"\band\b", name, re.IGNORECASE) is not None


def _bib_author(name: str) -> str:
    """A name BibTeX reads as one person: braced when it is a group (see `_is_group`)."""
    escaped = bib_escape(name)
    return f"{{{escaped}}}" if _is_group(name) else escaped


def _bib_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def to_bibtex(entries: list[QueueEntry]) -> str:
    """`@misc` entries in arXiv's own export shape (eprint, archivePrefix, primaryClass, url).

    Keys are unique within the export: a repeated key gets `b`, `c`, ... appended.
    """
    used: set[str] = set()
    blocks: list[str] = []
    for e in entries:
        base = key = _bib_key(e)
        n = 0
        while key in used:
            n += 1
            key = f"{base}{_suffix(n)}"
        used.add(key)
        fields = [("title", bib_title(e.title or e.id))]
        if e.authors:
            fields.append(("author", " and ".join(_bib_author(a) for a in e.authors)))
        if e.year:
            fields.append(("year", str(e.year)))
        aid = e.arxiv_id
        url = e.url
        if aid:
            fields += [("eprint", aid), ("archivePrefix", "arXiv")]
            if e.categories:
                fields.append(("primaryClass", bib_escape(e.categories[0])))
            url = e.links.get("arxiv") or f"https://arxiv.org/abs/{aid}"
        if url:
            fields.append(("url", _bib_url(url)))
        body = ",\n".join(f"  {name}={{{value}}}" for name, value in fields)
        blocks.append(f"@misc{{{key},\n{body}\n}}\n")
    return "\n".join(blocks)


def _suffix(n: int) -> str:
    """1 -> b, 2 -> c, ..., 25 -> z, 26 -> ba: the second key with a stem gets `b`."""
    letters = ""
    while n:
        n, r = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[r] + letters
    return letters


# --- CSV and JSON ---------------------------------------------------------------------------

CSV_COLUMNS = (
    "id", "title", "authors", "byline", "published", "status", "note", "url",
    "categories", "added", "source_path", "source_format", "source_date",
)


def _cell(text: str) -> str:
    """Defuse spreadsheet formulas (`=`, `+`, `-`, `@` first) in text that came from a digest."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(e: QueueEntry) -> dict[str, Any]:
    src = e.source
    return {
        "id": e.id,
        "title": e.title,
        "authors": "; ".join(e.authors),
        "byline": e.byline,
        "published": e.published.isoformat() if e.published else "",
        "status": e.status,
        "note": e.note,
        "url": e.url or "",
        "categories": " ".join(e.categories),
        "added": e.added.isoformat(timespec="seconds"),
        "source_path": src.path if src else "",
        "source_format": (src.format or "") if src else "",
        "source_date": src.date.isoformat() if src and src.date else "",
    }


def to_csv(entries: list[QueueEntry]) -> str:
    """One row per entry under a header row; authors joined with `; `."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({k: _cell(v) if k in ("title", "authors", "byline", "note") else v for k, v in _row(e).items()})
    return out.getvalue()


def to_json(entries: list[QueueEntry]) -> str:
    """A list of objects with every field (dates as ISO 8601), for scripts."""
    items = []
    for e in entries:
        items.append({
            "id": e.id,
            "title": e.title,
            "authors": list(e.authors),
            "byline": e.byline,
            "published": e.published.isoformat() if e.published else None,
            "status": e.status,
            "note": e.note,
            "url": e.url,
            "links": dict(e.links),
            "categories": list(e.categories),
            "abstract": e.abstract,
            "added": e.added.isoformat(),
            "updated": e.updated.isoformat(),
            "source": {
                "path": e.source.path,
                "format": e.source.format,
                "date": e.source.date.isoformat() if e.source.date else None,
            } if e.source else None,
        })
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
