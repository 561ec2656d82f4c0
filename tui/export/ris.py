"""RIS, the tagged format every reference manager imports (Zotero, EndNote, Mendeley, JabRef).

Each line is `TAG  - value`; a record starts with `TY` and ends with `ER`. Values are kept to one
line (line breaks become spaces), so no stored text can start a tag or end a record early.
Preprints are `UNPB` (unpublished work), as Zotero exports them.
"""

from __future__ import annotations

from tui.export import facts
from tui.queue import QueueEntry


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\n"


def record(e: QueueEntry, key: str) -> str:
    """One record: type, id, title, authors ("Family, Given"), dates, DOI, URL, abstract, note, keywords."""
    out = [_line("TY", "UNPB"), _line("ID", key), _line("TI", e.title or e.id)]
    names, _truncated = facts.authors(e)
    for a in names:
        out.append(_line("AU", a.name if a.is_org or not a.given else f"{a.family}, {a.given}"))
    when = facts.issued(e)
    if when:
        out.append(_line("PY", str(when[0])))
        parts = [f"{when[0]:04d}", f"{when[1]:02d}", f"{when[2]:02d}" if len(when) > 2 else ""]
        out.append(_line("DA", "/".join(parts) + "/"))
    aid = e.arxiv_id
    if facts.doi(e) and aid:
        out.append(_line("PB", "arXiv"))
        out.append(_line("M1", f"arXiv:{aid}"))
        out.append(_line("DO", facts.doi(e) or ""))
    link = facts.url(e)
    if link:
        out.append(_line("UR", link))
    if e.abstract:
        out.append(_line("AB", e.abstract))
    if e.note:
        out.append(_line("N1", e.note))
    for c in e.categories:
        out.append(_line("KW", c))
    out.append("ER  - \n")
    return "".join(out)


def to_ris(entries: list[QueueEntry]) -> str:
    """All records, a blank line between them."""
    return "\n".join(record(e, key) for key, e in zip(facts.keys(entries), entries))
