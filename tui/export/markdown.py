"""A reading list to paste into notes: `- [ ] [Title](url) — byline · date · status`.

Done entries are ticked; the note follows as an indented quote and the abstract as an indented
paragraph. Markdown characters are escaped outside maths only: `$f_\\mathrm{NL}$` stays as written
so pandoc, GitHub and Obsidian render it as maths.
"""

from __future__ import annotations

import re

from tui.export import facts
from tui.queue import QueueEntry

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_MATH = re.compile(r"(?<!\\)(\$\$?)(?=\S)(.+?)(?<=\S)(?<!\\)\1")


def text(value: str) -> str:
    """Escape what would turn text into markup (links, emphasis, HTML), leaving `$...$` maths alone."""
    value = " ".join(value.split())
    out, last = [], 0
    for m in _MATH.finditer(value):
        if not _safe_math(m.group()):
            continue  # escaped with the text around it
        out.append(_MD_SPECIAL.sub(r"\\\1", value[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(_MD_SPECIAL.sub(r"\\\1", value[last:]))
    return "".join(out)


def _safe_math(math: str) -> bool:
    """Maths that cannot end a link's text or start a code span or HTML tag in any renderer:
    brackets in pairs (CommonMark allows those in link text), no backtick, nothing like `<tag>`."""
    depth = 0
    for ch in math:
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and "`" not in math and not re.search(r"<[A-Za-z/!?][^<>]*>", math)


def paragraph(value: str) -> str:
    """Text as a paragraph that cannot start a list or a heading (`1. `, `- `, `+ `)."""
    return re.sub(r"^(\d+)([.)])|^([-+])", lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3), text(value))


def link_target(url: str) -> str:
    """A URL safe inside `(...)`: parentheses, spaces and angle brackets would end or break the link."""
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(ch, code)
    return url


def to_markdown(entries: list[QueueEntry]) -> str:
    lines: list[str] = []
    for e in entries:
        title = text(e.title or e.id)
        link = facts.url(e)
        head = f"[{title}]({link_target(link)})" if link else title
        when = facts.issued(e)
        date = "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(when)) if when else ""
        ident = f"arXiv:{e.arxiv_id}" if facts.doi(e) else ""
        details = [d for d in (text(e.byline), date, ident, e.status) if d]
        box = "x" if e.status == "done" else " "
        lines.append(f"- [{box}] {head} — {' · '.join(details)}")
        for note_line in e.note.splitlines():
            lines.append(f"  > {text(note_line)}".rstrip())
        if e.abstract:
            lines.append("")
            lines.append(f"  {paragraph(e.abstract)}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + ("\n" if lines else "")
