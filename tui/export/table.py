"""CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel does not read mojibake), every
text cell defused against formulas, arXiv ids written `arXiv:2601.01234` so no spreadsheet turns
them into numbers (`2601.10000` would become `2601.1`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tui.export import facts
from tui.queue import QueueEntry

BOM = "\ufeff"
CSV_COLUMNS = (
    "id", "title", "authors", "byline", "published", "status", "note", "url", "doi",
    "categories", "abstract", "added", "source_path", "source_format", "source_date",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` before it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(e: QueueEntry) -> dict[str, Any]:
    src = e.source
    when = facts.issued(e)
    return {
        "id": f"arXiv:{e.arxiv_id}" if facts.doi(e) else e.id,
        "title": e.title,
        "authors": "; ".join(e.authors),
        "byline": e.byline,
        "published": "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(when)) if when else "",
        "status": e.status,
        "note": e.note,
        "url": facts.url(e) or "",
        "doi": facts.doi(e) or "",
        "categories": " ".join(e.categories),
        "abstract": e.abstract,
        "added": e.added.isoformat(timespec="seconds"),
        "source_path": src.path if src else "",
        "source_format": (src.format or "") if src else "",
        "source_date": src.date.isoformat() if src and src.date else "",
    }


def to_csv(entries: list[QueueEntry]) -> str:
    """One row per entry under a header row; authors joined with `; `."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({k: cell(v) for k, v in _row(e).items()})
    return BOM + out.getvalue()
