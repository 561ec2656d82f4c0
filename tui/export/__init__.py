"""Export queue entries for other tools, one module per format:

- `markdown`: a reading list for notes; `table`: CSV for spreadsheets; `plainjson`: JSON for scripts;
- `bibtex` (BibTeX and biblatex), `ris`, `csljson`: for reference managers and citation processors.

`export(entries, fmt)` returns the text; the caller decides where it goes (clipboard, file, stdout).
`facts` holds what the formats share (dates from arXiv ids, authors, keys), `tex` the LaTeX writing.
Links that are not http(s) are never exported (`unsafe_links` lists them so the caller can warn).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui.links import split_links
from tui.queue import QueueEntry

FORMATS = ("markdown", "bibtex", "biblatex", "ris", "csl-json", "csv", "json")
SUFFIXES = {"markdown": ".md", "bibtex": ".bib", "biblatex": ".bib", "ris": ".ris", "csl-json": ".json", "csv": ".csv", "json": ".json"}


def _writers() -> dict[str, Callable[[list[QueueEntry]], str]]:
    from tui.export.bibtex import to_biblatex, to_bibtex
    from tui.export.csljson import to_csl_json
    from tui.export.markdown import to_markdown
    from tui.export.plainjson import to_json
    from tui.export.ris import to_ris
    from tui.export.table import to_csv

    return {
        "markdown": to_markdown, "bibtex": to_bibtex, "biblatex": to_biblatex, "ris": to_ris,
        "csl-json": to_csl_json, "csv": to_csv, "json": to_json,
    }


def export(entries: Iterable[QueueEntry], fmt: str) -> str:
    """All `entries`, in the given order, as one text in format `fmt` (one of `FORMATS`)."""
    writers = _writers()
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt](list(entries))


def unsafe_links(entries: Iterable[QueueEntry]) -> list[tuple[str, str]]:
    """(entry id, url) for every stored link an export leaves out (not http or https)."""
    return [(e.id, url) for e in entries for url in split_links(e.links)[1]]
