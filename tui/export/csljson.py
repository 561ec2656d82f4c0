"""CSL-JSON, the citation data pandoc (`--citeproc`), citeproc-py, Zotero and JabRef read.

One `article` item per paper (CSL's type for preprints), keyed like the BibTeX export so a
document can switch between the two. arXiv papers carry `publisher: arXiv`, `number: arXiv:<id>`
and the DOI, as Zotero writes them.
"""

from __future__ import annotations

import json
from typing import Any

from tui.export import facts
from tui.queue import QueueEntry


def item(e: QueueEntry, key: str) -> dict[str, Any]:
    """One CSL item; absent facts are left out rather than written empty."""
    out: dict[str, Any] = {"id": key, "type": "article", "title": " ".join((e.title or e.id).split())}
    names, _truncated = facts.authors(e)
    people = [{"literal": a.name} if a.is_org or not a.family else {"family": a.family, "given": a.given} for a in names]
    if people:
        out["author"] = [{k: v for k, v in p.items() if v} for p in people]
    when = facts.issued(e)
    if when:
        out["issued"] = {"date-parts": [list(when)]}
    aid = e.arxiv_id
    if facts.doi(e) and aid:
        out["publisher"] = "arXiv"
        out["number"] = f"arXiv:{aid}"
        out["DOI"] = facts.doi(e)
    link = facts.url(e)
    if link:
        out["URL"] = link
    if e.categories:
        out["keyword"] = ", ".join(e.categories)
    if e.abstract:
        out["abstract"] = e.abstract
    if e.note:
        out["note"] = e.note
    return out


def to_csl_json(entries: list[QueueEntry]) -> str:
    """A JSON array of CSL items."""
    items = [item(e, key) for key, e in zip(facts.keys(entries), entries)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
