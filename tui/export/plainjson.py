"""papertray's own JSON for scripts: every stored field, dates as ISO 8601, only http(s) links."""

from __future__ import annotations

import json

from tui.export import facts
from tui.links import split_links
from tui.queue import QueueEntry


def to_json(entries: list[QueueEntry]) -> str:
    """A list of objects, one per entry (`jq '.[] | .title'`)."""
    items = []
    for e in entries:
        links, _dropped = split_links(e.links)
        items.append({
            "id": e.id,
            "title": e.title,
            "authors": list(e.authors),
            "byline": e.byline,
            "published": e.published.isoformat() if e.published else None,
            "status": e.status,
            "note": e.note,
            "url": facts.url(e),
            "doi": facts.doi(e),
            "links": links,
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
